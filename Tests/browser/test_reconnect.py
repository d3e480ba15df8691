"""Dropped connections: the SDK reconnects, resumes from its cursor and loses or repeats nothing."""


def accepted_chat(admin, agent_page, customer_page, **group_settings):
    group = admin.group(offerTimeoutSeconds=60, **group_settings)
    user = admin.agent([group], name="Rita")
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start("Sam")
    agent.wait_event("callIn", {"sessionId": session})
    assert agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("Rita joined the chat")
    return group, user, agent, customer, session


def welcomes(agent):
    return [f for f in agent.call("() => TCCC.debug.frames()") if f["type"] == "welcome"]


def event_seqs(agent):
    return [f["seq"] for f in agent.call("() => TCCC.debug.frames()") if f["type"] == "event" and f["seq"] > 0]


def test_resume_after_a_drop_loses_and_repeats_nothing(admin, agent_page, customer_page):
    group, user, agent, customer, session = accepted_chat(admin, agent_page, customer_page)
    agent.call("() => TCCC.UI.showWorkbench()")
    before = agent.call("() => TCCC.getState().cursor")
    assert before > 0

    # The socket goes away for 1.5 s; meanwhile the customer writes and the agent sends.
    agent.call("() => TCCC.debug.dropConnection(1500)")
    assert agent.call("() => TCCC.getState().connection") == "reconnecting"
    agent.wb(".banner").get_by_text("reconnecting").wait_for()
    agent.call("(id) => { window.__pending = TCCC.Chat.sendMessage({sessionId: id, text: 'typed while offline'}); }", session)
    for n in range(3):
        customer.send(f"message {n} while the agent was away")
    customer.wait_text("message 2 while the agent was away")

    # The call made while disconnected waited for the reconnect and went through.
    sent = agent.call("() => window.__pending")
    assert sent["status"] == "success", sent
    for n in range(3):
        agent.wait_event("message", {"sessionId": session, "text": f"message {n} while the agent was away"})
    customer.wait_text("typed while offline")

    frames = welcomes(agent)
    assert len(frames) == 2 and frames[1]["resumed"] is True, frames
    texts = [m["text"] for m in agent.events("message")]
    assert texts.count("message 0 while the agent was away") == 1
    assert texts.count("typed while offline") == 1
    # Every event the server numbered was processed once, in order, with no gap.
    processed = agent.call("() => TCCC.getState().cursor")
    seqs = sorted(set(event_seqs(agent)))
    assert seqs == list(range(1, processed + 1)), seqs
    assert agent.call("() => TCCC.getState().connection") == "ready"
    assert agent.wb(".banner").is_hidden()
    # The workbench shows each message once.
    assert agent.wb(".transcript .msg").get_by_text("message 1 while the agent was away").count() == 1
    # Only one ready per login, not one per reconnect.
    assert agent.count("ready") == 1
    assert agent.call("() => window.__errors") == []


def test_every_tab_of_an_agent_sees_the_same_events(admin, agent_page, customer_page, contexts):
    group, user, agent, customer, session = accepted_chat(admin, agent_page, customer_page)
    second = agent_page(user)
    state = second.call("() => TCCC.getState()")
    # The second tab learns the held session from its welcome.
    assert [(s["sessionId"], s["state"]) for s in state["sessions"]] == [(session, "accepted")]
    assert state["status"] == "busy"
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'from tab one'})", session)
    second.wait_event("message", {"sessionId": session, "text": "from tab one", "from": "agent"})
    customer.send("to both tabs")
    agent.wait_event("message", {"text": "to both tabs"})
    second.wait_event("message", {"text": "to both tabs"})


def test_a_resume_the_server_cannot_serve_rebuilds_from_the_welcome(admin, agent_page, customer_page):
    group, user, agent, customer, session = accepted_chat(admin, agent_page, customer_page)
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(".transcript").wait_for()
    # A cursor ahead of the server's (as after a server reset): the server answers resumed:false.
    agent.call("() => { TCCC.debug.setCursor(999999); TCCC.debug.dropConnection(1200); }")
    customer.send("sent during the reset")
    customer.wait_text("sent during the reset")
    agent.page.wait_for_function("() => TCCC.getState().connection === 'ready' && TCCC.getState().cursor < 999999")
    frames = welcomes(agent)
    assert frames[-1]["resumed"] is False
    state = agent.call("() => TCCC.getState()")
    assert state["cursor"] == frames[-1]["lastSeq"]
    assert [(s["sessionId"], s["state"]) for s in state["sessions"]] == [(session, "accepted")]
    assert state["status"] == "busy"
    # The event was not replayed, but the workbench reloads the transcript and shows the message.
    agent.wb(".transcript").get_by_text("sent during the reset").wait_for()
    # Events after the rebuild arrive as usual.
    customer.send("after the reset")
    agent.wait_event("message", {"text": "after the reset"})


def test_unanswered_ping_makes_the_sdk_reconnect(admin, agent_page):
    user = admin.agent([admin.group()])
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    agent.call("() => { TCCC.debug.ignorePongs(true); TCCC.debug.configure({pingIntervalMs: 300, pongTimeoutMs: 400, backoffInitialMs: 50}); }")
    agent.page.wait_for_function("() => TCCC.debug.pingMisses() >= 1", timeout=5000)
    agent.call("() => TCCC.debug.ignorePongs(false)")
    agent.page.wait_for_function("() => TCCC.getState().connection === 'ready'")
    frames = welcomes(agent)
    assert len(frames) >= 2 and frames[-1]["resumed"] is True
    pings = [f for f in agent.call("() => TCCC.debug.frames()") if f["type"] == "response" and f["status"] == "success"]
    assert pings, "the server answered the pings"
    assert agent.call("() => TCCC.Agent.getStatus()") == "free"
    # Pings are answered normally afterwards: no more reconnects.
    misses = agent.call("() => TCCC.debug.pingMisses()")
    agent.page.wait_for_timeout(1500)
    assert agent.call("() => TCCC.debug.pingMisses()") == misses
