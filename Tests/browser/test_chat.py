"""A customer chats from the widget; the agent works from the SDK and the workbench."""

from conftest import screenshot


def test_offer_accept_messages_both_ways_and_end_by_seat(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60, wrapUpSeconds=1)
    user = admin.agent([group], name="Grace Hopper")
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")

    customer = customer_page(group, attrs='data-channel-name="shop" data-client-data="order=1207" data-remark="VIP"')
    session = customer.start("Ann Smith", "Hi, my order is late")
    customer.wait_text("Hi, my order is late")
    offer = agent.wait_event("callIn", {"sessionId": session})
    assert offer == {"sessionId": session, "type": "im", "timeout": 60, "nickname": "Ann Smith", "peerSource": "web",
                     "channelName": "shop", "clientData": "order=1207", "remark": "VIP"}
    assert customer.w(".state").inner_text() in ("You are next in line.", "Waiting for an agent…", "Connecting you with an agent…")

    # The floating button shows the ringing offer; the workbench lists it with a live countdown.
    badge = agent.wb(".fab .badge")
    badge.wait_for()
    assert badge.inner_text() == "1"
    agent.wb(".fab").click()
    offer_card = agent.wb(f".offer[data-key='{session}']")
    offer_card.wait_for()
    assert "Ann Smith" in offer_card.inner_text()
    first = offer_card.locator(".countdown").inner_text()
    agent.page.wait_for_timeout(1300)
    second = offer_card.locator(".countdown").inner_text()
    assert first.endswith("s left") and second.endswith("s left") and int(second.split()[0]) < int(first.split()[0])
    screenshot(agent.page, "workbench-ringing-offer")

    # Accept from the workbench, as an agent would.
    offer_card.locator("button.accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    assert agent.events("statusChanged")[-1] == {"status": "busy", "cause": "sessionAccepted"}
    assert agent.call("() => TCCC.Agent.getStatus()") == "busy"
    customer.wait_text("Grace Hopper joined the chat")
    assert customer.w(".state").inner_text() == "You are chatting with Grace Hopper"

    # The transcript so far is loaded with getMessages; the reply box has focus; Enter sends.
    agent.wb(".transcript .msg.customer").get_by_text("Hi, my order is late").wait_for()
    reply = agent.wb(".composer textarea")
    reply.wait_for()
    reply.fill("Sorry to hear that, let me check.")
    reply.press("Enter")
    sent = agent.wait_event("message", {"sessionId": session, "from": "agent"})
    assert sent["text"] == "Sorry to hear that, let me check."
    customer.wait_text("Sorry to hear that, let me check.")
    assert reply.input_value() == ""

    # From the SDK too, with the Switchboard data.
    answer = agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'It left the warehouse today.'})", session)
    assert answer["status"] == "success" and answer["data"]["messageId"].startswith("m-") and answer["data"]["sentAt"] > 0
    customer.wait_text("It left the warehouse today.")

    customer.send("Great, thanks!")
    incoming = agent.wait_event("message", {"sessionId": session, "from": "customer", "text": "Great, thanks!"})
    agent.wb(".transcript").get_by_text("Great, thanks!").wait_for()
    customer.page.wait_for_timeout(300)
    screenshot(agent.page, "workbench-in-chat")
    screenshot(customer.page, "widget-mid-chat")

    # Each message shows once in the widget, in order, with its server id.
    shown = customer.messages()
    assert [m["text"] for m in shown] == ["Hi, my order is late", "Sorry to hear that, let me check.",
                                          "It left the warehouse today.", "Great, thanks!"]
    assert all(m["id"] and m["id"].startswith("m-") for m in shown)

    # getMessages: order, limit, before, after.
    page = agent.call("(id) => TCCC.Chat.getMessages({sessionId: id})", session)
    assert page["status"] == "success"
    texts = [m["text"] for m in page["data"]["messages"]]
    assert page["data"]["sessionId"] == session and page["data"]["hasMore"] is False
    assert "Hi, my order is late" in texts and "Great, thanks!" in texts
    ids = [m["messageId"] for m in page["data"]["messages"]]
    newest = agent.call("(id) => TCCC.Chat.getMessages({sessionId: id, order: 'newest', limit: 2})", session)["data"]
    assert [m["messageId"] for m in newest["messages"]] == list(reversed(ids))[:2] and newest["hasMore"] is True
    before = agent.call("([id, m]) => TCCC.Chat.getMessages({sessionId: id, order: 'newest', limit: 1, before: m})", [session, ids[-1]])["data"]
    assert [m["messageId"] for m in before["messages"]] == [ids[-2]]
    after = agent.call("([id, m]) => TCCC.Chat.getMessages({sessionId: id, order: 'oldest', after: m})", [session, ids[0]])["data"]
    assert [m["messageId"] for m in after["messages"]] == ids[1:]
    assert incoming["messageId"] == ids[-1]

    # End by the seat, from the workbench.
    agent.wb(".chat-head button.end").click()
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "seat" and ended["type"] == "im" and ended["duration"] >= 0
    customer.wait_text("The agent ended the chat.")
    assert customer.w(".ended").is_visible()
    assert customer.w(".compose").is_hidden()
    # Wrap-up of one second, then sessionCompleted and free again.
    agent.wait_event("statusChanged", {"status": "arrange", "cause": "sessionEnded"})
    agent.wait_event("sessionCompleted", {"sessionId": session})
    agent.wait_event("statusChanged", {"status": "free", "cause": "wrapUpTimer"})
    assert agent.call("() => TCCC.Agent.getStatus()") == "free"
    history = agent.wb(f".history-list li[data-key^='{session}@']")
    history.wait_for()
    assert "you ended it" in history.inner_text()
    assert agent.call("() => TCCC.getState().sessions") == []
    assert agent.call("() => window.__errors") == []


def test_customer_leaving_ends_the_session_for_the_agent(admin, agent_page, customer_page):
    group = admin.group()
    user = admin.agent([group])
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start("Bo")
    agent.wait_event("callIn", {"sessionId": session})
    assert agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    # Accept is idempotent for the agent that holds it.
    assert agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("joined the chat")

    customer.w("button.leave").click()
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "client"
    customer.wait_text("You ended the chat.")
    assert admin.session(session)["closeBy"] == "client"
    history = agent.wb(f".history-list li[data-key^='{session}@']")
    assert "customer left" in history.inner_text()
    # The chat is over: the widget forgot it, and a new chat can start.
    assert customer.page.evaluate("() => sessionStorage.getItem('switchboard.chat')") is None
    customer.w("button.new-chat").click()
    assert customer.w("input[name=nickname]").is_visible()


def test_callin_fields_for_every_session_type(admin, agent_page):
    """Sessions queued through the admin API carry each type's callIn fields."""
    group = admin.group(offerTimeoutSeconds=0)
    user = admin.agent([group], imCapacity=5)
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    created = admin.request("POST", "/api/v1/sessions", {"type": "phone", "skillGroupId": group, "customer": {
        "calleePhoneNumber": "02088880000", "callerPhoneNumber": "13800000000", "callerLocation": "Shenzhen",
        "ivrPath": [{"key": "2", "label": "Billing"}]}}, expect=201)
    offer = agent.wait_event("callIn", {"sessionId": created["sessionId"]})
    assert offer == {"sessionId": created["sessionId"], "type": "phone", "timeout": 0, "calleePhoneNumber": "02088880000",
                     "callerPhoneNumber": "13800000000", "callerLocation": "Shenzhen",
                     "ivrPath": [{"key": "2", "label": "Billing"}], "serverType": "staffSeat"}
    agent.call("() => TCCC.UI.showWorkbench()")
    card = agent.wb(f".offer[data-key='{created['sessionId']}']")
    assert "13800000000" in card.inner_text() and "no time limit" in card.inner_text() and "Billing" in card.inner_text()
    assert agent.call("(id) => TCCC.Chat.accept({sessionId: id})", created["sessionId"]) == {"status": "success"}
    # The workbench shows a voice session's details instead of a chat box.
    agent.wb(".details").get_by_text("Shenzhen").wait_for()
    assert agent.wb(".composer").is_hidden()
    assert agent.call("(id) => TCCC.Chat.end({sessionId: id})", created["sessionId"]) == {"status": "success"}
    assert agent.wait_event("sessionEnded", {"sessionId": created["sessionId"]})["type"] == "phone"

    others = [
        ("voip", {"callee": "sales-line", "calleeRemark": "Sales", "userId": "u-881", "nickname": "Cy"}),
        ("video", {"userId": "u-882", "nickname": "Di"}),
        ("internal", {"peerUserId": "someone"}),
    ]
    for kind, customer in others:
        sid = admin.request("POST", "/api/v1/sessions", {"type": kind, "skillGroupId": group, "customer": customer}, expect=201)["sessionId"]
        offer = agent.wait_event("callIn", {"sessionId": sid})
        assert offer["type"] == kind and offer["timeout"] == 0
        for key, value in customer.items():
            assert offer[key] == value, (kind, key, offer)
        admin.end(sid)
        assert agent.wait_event("sessionEnded", {"sessionId": sid})["closeBy"] == "admin"


def test_pending_status_while_busy_and_an_inactivity_timer_end(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60, imInactivityTimeoutSeconds=3)
    user = admin.agent([group], name="Noor")
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start("Otto")
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("() => TCCC.UI.showWorkbench()")

    # Offline is refused while holding a session, with the reason.
    refused = agent.call("() => TCCC.Agent.offline()")
    assert refused["status"] == "error" and session in refused["errorMsg"]
    # A break asked for while busy waits for the last session to end; the workbench says so.
    assert agent.call("() => TCCC.Agent.setStatus({status: 'rest', restReason: 'meeting'})") == {"status": "success"}
    assert agent.call("() => TCCC.Agent.getStatus()") == "busy"
    pending = agent.wb(".pending")
    pending.wait_for()
    assert pending.inner_text() == "After your last session: On break — Meeting"

    # Nobody writes for 3 s: the timer ends it, and the pending break applies.
    ended = agent.wait_event("sessionEnded", {"sessionId": session}, timeout=10000)
    assert ended["closeBy"] == "timer"
    customer.wait_text("The chat was closed after a period without activity.")
    changed = agent.wait_event("statusChanged", {"status": "rest"})
    assert changed["restReason"] == "meeting"
    assert agent.call("() => TCCC.Agent.getStatus()") == "rest"
    assert pending.is_hidden()
    assert "timed out" in agent.wb(f".history-list li[data-key^='{session}@']").inner_text()


def test_widget_shows_the_servers_reason_when_a_chat_cannot_start(customer_page):
    customer = customer_page("no-such-group")
    customer.w(".launcher").click()
    customer.w(".start button[type=submit]").click()
    assert customer.w(".start .error").inner_text() == "Please tell us your name."
    customer.w("input[name=nickname]").fill("Pat")
    customer.w(".start button[type=submit]").click()
    error = customer.w(".start .error")
    customer.page.wait_for_function("""() => document.querySelector('switchboard-chat').shadowRoot
        .querySelector('.start .error').textContent.includes('skillGroupId')""")
    assert "no-such-group" in error.inner_text()
    assert customer.page.evaluate("() => SwitchboardChat.state().phase") == "idle"
    assert customer.w(".start button[type=submit]").is_enabled()
