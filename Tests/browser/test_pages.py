"""The pages the server serves: landing, agent sign-in with the full-page workbench, supervisor,
and the chat demo (the widget resuming after a reload)."""

from conftest import screenshot


def test_landing_page_links_every_page(contexts):
    page = contexts().new_page()
    page.goto("/")
    links = page.eval_on_selector_all("nav a", "nodes => nodes.map(n => n.getAttribute('href'))")
    assert links == ["/agent/", "/supervisor/", "/chat/"]
    for link in links:
        response = page.request.get(link)
        assert response.status == 200 and "text/html" in response.headers["content-type"], link
    for asset in ["/sdk/tccc.js", "/sdk/workbench.js", "/sdk/tccc.d.ts", "/widget.js", "/assets/site.css"]:
        assert page.request.get(asset).status == 200, asset


def test_agent_signs_in_and_works_in_the_full_page_workbench(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=45)
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page = contexts().new_page()
    page.goto("/agent/")
    page.get_by_label("User id").fill(user)
    page.get_by_label("Password").fill("not the password")
    screenshot(page, "agent-login")
    page.get_by_label("Password").press("Enter")
    error = page.locator("#login-error")
    error.wait_for()
    assert error.inner_text() == "wrong user id or password"

    page.get_by_label("Password").fill("frequency-hopping")
    page.get_by_role("button", name="Sign in").click()
    workbench = page.locator("tccc-workbench")
    workbench.locator(".panel").wait_for()
    assert page.locator("#login").is_hidden()
    assert page.locator("#signed-in").inner_text() == f"Hedy Lamarr ({user})"
    # Full page: no floating button; the panel fills the space under the bar.
    assert workbench.locator(".fab").is_hidden()
    box = workbench.locator(".panel").bounding_box()
    assert box["width"] == 1280 and box["height"] > 700, box

    workbench.locator("select.status-select").select_option("free")
    page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    customer = customer_page(group)
    session = customer.start("Ivy", "Can I change my delivery address?")
    offer = workbench.locator(f".offer[data-key='{session}']")
    offer.wait_for()
    screenshot(page, "agent-page-ringing")
    offer.locator("button.accept").click()
    workbench.locator(".transcript").get_by_text("Can I change my delivery address?").wait_for()
    page.keyboard.type("Of course, what is the new address?")
    page.keyboard.press("Enter")
    customer.wait_text("Of course, what is the new address?")
    customer.send("12 Harbour Street")
    workbench.locator(".transcript").get_by_text("12 Harbour Street").wait_for()
    screenshot(page, "agent-page-in-chat")

    # Going offline is refused while holding a session; sign out after ending it.
    workbench.locator("button.end").click()
    customer.wait_text("The agent ended the chat.")
    page.get_by_role("button", name="Sign out").click()
    page.locator("#login").wait_for()
    assert admin.get(f"/api/v1/agents/{user}")["status"] == "offline"


def test_supervisor_sees_queues_agents_and_sessions_and_ends_one(admin, agent_page, customer_page, contexts):
    group = admin.group(name="Returns desk", offerTimeoutSeconds=60)
    busy_id = admin.agent([group], name="Busy Bee", imCapacity=1)
    resting_id = admin.agent([group], name="Resting Rob")
    busy = agent_page(busy_id)
    resting = agent_page(resting_id)
    busy.call("() => TCCC.Agent.online()")
    first = customer_page(group)
    held = first.start("Held Hal")
    busy.wait_event("callIn", {"sessionId": held})
    busy.call("(id) => TCCC.Chat.accept({sessionId: id})", held)
    resting.call("() => TCCC.Agent.online()")
    resting.call("() => TCCC.Agent.setStatus({status: 'rest', restReason: 'lunch'})")
    waiting = customer_page(group).start("Waiting Wendy")

    supervisor = admin.supervisor("supervisor", name="Sam Supervisor", password="watch the queues")
    page = contexts().new_page()
    page.goto("/supervisor/")
    page.get_by_label("User id", exact=True).fill(supervisor)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#signin-error").wait_for()
    assert page.locator("#signin-error").inner_text() == "wrong user id or password"
    page.get_by_label("Password", exact=True).fill("watch the queues")
    page.get_by_label("Password", exact=True).press("Enter")

    row = page.locator(f"#queues tr[data-group='{group}']")
    row.wait_for()
    assert row.locator(".waiting").inner_text() == "1"
    assert "Waiting Wendy" in row.inner_text()
    assert "Busy Bee" in page.locator("[data-status=busy]").inner_text()
    assert "lunch" in page.locator(f"[data-agent='{resting_id}']").inner_text()
    assert page.locator(f"tr[data-session='{held}']").get_by_text("accepted").is_visible()
    assert page.locator(f"tr[data-session='{waiting}']").get_by_text("queued #1").is_visible()
    assert page.locator("#who").inner_text().replace("\n", " ") == f"Sam Supervisor ({supervisor}) SUPERVISOR"
    page.wait_for_timeout(2200)  # one auto-refresh
    assert page.locator("#updated").inner_text().startswith("Updated")
    screenshot(page, "supervisor")

    # End the held session with reasons: the agent hears closeBy admin, the customer is told.
    page.locator(f"tr[data-session='{held}'] button").click()
    page.get_by_label("Main reason").fill("abuse")
    page.get_by_label("Detail").fill("spam")
    page.get_by_role("button", name="End session", exact=True).click()
    ended = busy.wait_event("sessionEnded", {"sessionId": held})
    assert ended["closeBy"] == "admin" and ended["mainReason"] == "abuse" and ended["subReason"] == "spam"
    first.wait_text("The chat was closed by our team.")
    page.locator(f"tr[data-session='{held}']").wait_for(state="detached", timeout=5000)
    record = admin.session(held)
    assert record["closeBy"] == "admin" and record["mainReason"] == "abuse"


def test_chat_demo_resumes_after_a_reload_without_duplicates(admin, agent_page, contexts):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Kim")
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    page = contexts().new_page()
    page.goto(f"/chat/?group={group}")
    widget = page.locator("switchboard-chat")
    widget.locator(".launcher").click()
    widget.locator("input[name=nickname]").fill("Lee")
    widget.locator("textarea[name=message]").fill("Do you ship to Norway?")
    widget.locator("textarea[name=message]").press("Enter")
    page.wait_for_function("() => SwitchboardChat.state().sessionId")
    session = page.evaluate("() => SwitchboardChat.state().sessionId")
    offer = agent.wait_event("callIn", {"sessionId": session})
    assert offer["channelName"] == "acme-help" and offer["nickname"] == "Lee"
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Yes, in 3 to 5 days.'})", session)
    widget.locator(".log").get_by_text("Yes, in 3 to 5 days.").wait_for()
    stored = page.evaluate("() => JSON.parse(sessionStorage.getItem('switchboard.chat'))")
    assert stored["sessionId"] == session and stored["secret"] and stored["lastMessageId"].startswith("m-")

    page.reload()
    widget.locator(".log").get_by_text("Yes, in 3 to 5 days.").wait_for()
    page.wait_for_function("() => SwitchboardChat.state().phase === 'live'")
    # A message sent while the page was reloading arrives once, after the resume.
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Anything else?'})", session)
    widget.locator(".log").get_by_text("Anything else?").wait_for()
    texts = page.evaluate("""() => Array.from(document.querySelector('switchboard-chat').shadowRoot
        .querySelectorAll('.log li')).map(n => n.textContent)""")
    assert sum("Do you ship to Norway?" in t for t in texts) == 1
    assert sum("Yes, in 3 to 5 days." in t for t in texts) == 1
    assert sum("Kim joined the chat" in t for t in texts) == 1
    assert widget.locator(".state").inner_text() == "You are chatting with Kim"
    widget.locator(".compose textarea").fill("No, thanks!")
    widget.locator(".compose textarea").press("Enter")
    agent.wait_event("message", {"sessionId": session, "text": "No, thanks!"})
    # Escape minimises the widget; the launcher brings it back.
    widget.locator(".compose textarea").press("Escape")
    assert widget.locator(".panel").is_hidden() and widget.locator(".launcher").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "chat-demo-minimised")
    widget.locator(".launcher").click()
    screenshot(page, "chat-demo")
    widget.locator("button.leave").click()
    assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"
