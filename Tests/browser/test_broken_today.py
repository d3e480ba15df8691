"""Issue 15, "Broken today": each of what a first try found broken, as a person would meet it."""

import re
import time

from conftest import screenshot
from test_calls import answered_call, start_call, wait_phase

# The server's limit for an im message, in characters (docs/reliability.md).
MESSAGE_LIMIT = 8000


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one, two):
    light, dark = sorted([luminance(one), luminance(two)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(css):
    return tuple(int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])


def overlaps(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def chatting(admin, agent_page, customer_page, agent_name="Grace Hopper", customer_name="Ann", first="Hello?"):
    """An agent with the workbench open on an accepted chat."""
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name=agent_name)
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start(customer_name, first)
    agent.wait_event("callIn", {"sessionId": session})
    agent.wb(".fab").click()
    agent.wb(f".offer[data-key='{session}'] button.accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    agent.wb(".transcript .msg.customer").get_by_text(first).wait_for()
    return group, agent, customer, session


def test_the_widgets_back_button_after_a_call_is_readable(admin, agent_page, customer_page):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Grace Hopper", "Ann")
    customer.w(".call .hangup").click()
    wait_phase(customer, "ended")
    back = customer.w(".call-done")
    back.wait_for()
    colours = back.evaluate("n => { const s = getComputedStyle(n); return [s.color, s.backgroundColor]; }")
    assert contrast(rgb(colours[0]), rgb(colours[1])) >= 4.5, colours
    screenshot(customer.page, "widget-call-ended")
    back.click()
    assert customer.w(".call").is_hidden()


def test_after_a_transfer_the_new_agent_sees_the_previous_agents_replies_by_name(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    bob_id = admin.agent([group], name="Bob Builder")
    carol_id = admin.agent([group], name="Carol Shaw")
    bob = agent_page(bob_id)
    bob.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start("Ann", "My parcel is late")
    bob.wait_event("callIn", {"sessionId": session})
    bob.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    bob.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Bob here, checking.'})", session)
    own = bob.wait_event("message", {"sessionId": session, "from": "agent"})
    assert own["agentUserId"] == bob_id and own["agentName"] == "Bob Builder"

    carol = agent_page(carol_id)
    carol.call("() => TCCC.Agent.online()")
    assert bob.call("([id, to]) => TCCC.Chat.transfer({sessionId: id, userId: to})", [session, carol_id])["status"] == "success"
    carol.wait_event("callIn", {"sessionId": session})
    carol.wb(".fab").click()
    carol.wb(f".offer[data-key='{session}'] button.accept").click()
    carol.wb(".transcript").get_by_text("Bob here, checking.").wait_for()
    reply = carol.wb(".composer textarea")
    reply.fill("Carol now, it ships today.")
    reply.press("Enter")
    carol.wb(".transcript").get_by_text("Carol now, it ships today.").wait_for()

    bobs = carol.wb(".transcript .msg").filter(has_text="Bob here, checking.")
    carols = carol.wb(".transcript .msg").filter(has_text="Carol now, it ships today.")
    # Bob's reply is Bob's, on the colleague's side, named where it can be seen; Carol's own is "You".
    assert bobs.locator(".author").inner_text() == "Bob Builder"
    assert "You" not in bobs.inner_text()
    assert "colleague" in bobs.get_attribute("class")
    assert carols.locator(".sr").inner_text().startswith("You")
    screenshot(carol.page, "workbench-after-transfer")
    # The widget still shows both replies once.
    customer.wait_text("Carol now, it ships today.")
    assert [m["text"] for m in customer.messages()] == ["My parcel is late", "Bob here, checking.", "Carol now, it ships today."]


def test_a_customer_message_over_the_limit_is_refused_before_sending_and_kept(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    customer = customer_page(group)
    customer.start("Ann")
    box = customer.w(".compose textarea")
    counter = customer.w(".compose .counter")
    # Near the limit a counter appears and counts what is typed.
    box.fill("a" * (MESSAGE_LIMIT - 50))
    counter.wait_for()
    assert counter.inner_text() == f"{MESSAGE_LIMIT - 50:,} / {MESSAGE_LIMIT:,}"
    too_long = "b" * (MESSAGE_LIMIT + 1)
    box.fill(too_long)
    assert counter.inner_text() == f"{MESSAGE_LIMIT + 1:,} / {MESSAGE_LIMIT:,}"
    box.press("Enter")
    error = customer.w(".compose-error")
    error.wait_for()
    assert error.inner_text() == f"Your message is {MESSAGE_LIMIT + 1:,} characters; the limit is {MESSAGE_LIMIT:,}. Shorten it to send."
    assert box.input_value() == too_long
    assert customer.w(".log .msg.customer").count() == 0
    screenshot(customer.page, "widget-message-too-long")

    # Shortened to the limit, it goes.
    box.fill("c" * MESSAGE_LIMIT)
    assert error.is_hidden()
    box.press("Enter")
    customer.page.wait_for_function("""() => document.querySelector('switchboard-chat').shadowRoot
        .querySelectorAll('.log .msg.customer[data-message-id^="m-"]').length === 1""")
    assert box.input_value() == ""

    # A reload leaves nothing "sending…".
    customer.page.reload()
    customer.page.wait_for_function("() => window.SwitchboardChat && window.SwitchboardChat.state().sessionId")
    customer.w(".log .msg.customer").first.wait_for()
    assert customer.w(".log .msg.pending").count() == 0
    assert customer.w(".log").get_by_text("sending…").count() == 0


def test_a_reply_typed_while_the_connection_is_down_is_queued_and_sent_on_reconnect(admin, agent_page, customer_page):
    group, agent, customer, session = chatting(admin, agent_page, customer_page)
    agent.call("() => TCCC.debug.dropConnection(4000)")
    agent.page.wait_for_function("() => TCCC.getState().connection === 'reconnecting'")
    reply = agent.wb(".composer textarea")
    reply.fill("Typed while offline")
    reply.press("Enter")
    queued = agent.wb(".transcript .msg.queued")
    queued.wait_for()
    assert "Typed while offline" in queued.inner_text()
    assert "Waiting for the connection" in queued.inner_text()
    screenshot(agent.page, "workbench-reply-queued")
    # After the reconnect it goes out once, and the bubble becomes the sent message.
    customer.wait_text("Typed while offline")
    agent.wb(".transcript .msg.agent[data-message-id^='m-']").filter(has_text="Typed while offline").wait_for()
    assert agent.wb(".transcript .msg.queued").count() == 0
    agent.page.wait_for_timeout(500)
    assert [m["text"] for m in customer.messages()].count("Typed while offline") == 1


def test_error_notices_do_not_cover_the_reply_box(admin, agent_page, customer_page):
    group, agent, customer, session = chatting(admin, agent_page, customer_page)
    # Going offline while holding a session is refused: the notice must leave the reply box usable.
    agent.wb(".online-toggle").click()
    notice = agent.wb(".toast")
    notice.wait_for()
    assert "offline" in notice.inner_text()
    send = agent.wb(".composer .send")
    assert not overlaps(notice.bounding_box(), agent.wb(".composer").bounding_box())
    hit = agent.page.evaluate("""() => {
        const root = document.querySelector('tccc-workbench').shadowRoot;
        const send = root.querySelector('.composer .send');
        const box = send.getBoundingClientRect();
        return root.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === send;
    }""")
    assert hit
    screenshot(agent.page, "workbench-error-notice")
    # It can be dismissed.
    notice.get_by_role("button", name="Dismiss").click()
    assert notice.is_hidden()


def test_a_reload_keeps_the_agent_signed_in_without_keeping_the_password(admin, contexts):
    group = admin.group()
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page = contexts().new_page()
    page.goto("/agent/")
    page.get_by_label("User id").fill(user)
    page.get_by_label("Password").fill("frequency-hopping")
    page.get_by_role("button", name="Sign in").click()
    page.locator("tccc-workbench .panel").wait_for()
    page.wait_for_function("() => TCCC.getState().connection === 'ready'")

    page.reload()
    page.locator("tccc-workbench .panel").wait_for()
    page.wait_for_function("() => TCCC.getState().connection === 'ready'")
    assert page.locator("#login").is_hidden()
    assert page.locator("#signed-in").inner_text() == f"Hedy Lamarr ({user})"
    storage = page.evaluate("() => JSON.stringify({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})")
    assert "frequency-hopping" not in storage
    assert page.evaluate("() => TCCC.debug.settings().password") is None

    # Signing out forgets the login: the next reload asks again.
    page.get_by_role("button", name="Sign out").click()
    page.locator("#login").wait_for()
    page.reload()
    page.locator("#login").wait_for()
    page.wait_for_timeout(300)
    assert page.locator("tccc-workbench .panel").count() == 0 or page.locator("tccc-workbench .panel").is_hidden()


def test_the_call_panel_names_what_it_shows(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=30)
    user = admin.agent([group], name="Grace Hopper")
    agent = agent_page(user)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group, attrs='data-remark="VIP" data-callee="Order line"')
    session = start_call(customer, "Ann")
    agent.wait_event("callIn", {"sessionId": session})
    agent.wb(".fab").click()
    agent.wb(f".offer[data-key='{session}'] button.accept").click()
    agent.wb(".details dt").first.wait_for()
    labels = agent.wb(".details dt").all_inner_texts()
    values = agent.wb(".details dd").all_inner_texts()
    shown = dict(zip(labels, values))
    for raw in ["callee", "peerSource", "timeout", "userId", "nickname", "clientData", "sessionId", "type", "acceptedAt"]:
        assert raw not in labels, labels
    assert shown["Caller"] == "Ann"
    assert shown["Came from"] == "web"
    assert shown["Called"] == "Order line"
    assert shown["Note"] == "VIP"
    assert not any(re.fullmatch(r"\d+", v) for v in values), values   # no bare "timeout 30"
    screenshot(agent.page, "workbench-call-details")


def test_the_supervisor_page_backs_off_while_the_server_is_down(admin, contexts):
    from test_supervisor import sign_in
    page = sign_in(contexts, admin.supervisor("supervisor"))
    rounds = []
    page.on("request", lambda request: rounds.append(time.monotonic()) if "/api/v1/queues" in request.url else None)
    page.route("**/api/v1/**", lambda route: route.abort("connectionrefused"))
    problem = page.locator("#problem")
    problem.wait_for()
    page.wait_for_function("() => /Retrying in \\d+ s/.test(document.querySelector('#problem').textContent)")
    # Three failed rounds: the waits between them grow (2 s, then 4 s).
    page.wait_for_timeout(7500)
    gaps = [b - a for a, b in zip(rounds, rounds[1:])]
    assert len(rounds) >= 3, gaps
    assert len(rounds) <= 4, gaps
    assert gaps[1] > gaps[0] * 1.6, gaps
    screenshot(page, "supervisor-retrying")
    # Back up: "Retry now" reads at once and the notice goes.
    page.unroute("**/api/v1/**")
    page.get_by_role("button", name="Retry now").click()
    problem.wait_for(state="hidden")


def test_every_page_has_a_favicon_and_nothing_is_missing(contexts):
    page = contexts().new_page()
    missing = []
    # (The supervisor page's "who am I" answers 401 before sign-in; that is an answer, not a missing file.)
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    for path in ["/", "/agent/", "/supervisor/", "/chat/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        icon = page.locator("link[rel=icon]")
        assert icon.count() == 1, path
        answer = page.request.get(icon.get_attribute("href"))
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml"), path
    assert missing == []


def label_in_name_problems(page, host):
    """Buttons whose accessible name does not contain the words they show (WCAG 2.5.3)."""
    return page.evaluate("""(host) => Array.from(document.querySelector(host).shadowRoot.querySelectorAll('button'))
        .filter(b => b.offsetParent !== null)
        .map(b => ({shown: b.innerText.trim(), name: (b.getAttribute('aria-label') || b.innerText).trim()}))
        .filter(b => /[a-z]/i.test(b.shown) && !b.name.toLowerCase().includes(b.shown.toLowerCase()))""", host)


def test_hang_up_and_end_are_announced_as_shown(admin, agent_page, customer_page):
    group, agent, customer, session = chatting(admin, agent_page, customer_page)
    assert agent.wb(".chat").get_by_role("button", name="End", exact=False).first.is_visible()
    assert label_in_name_problems(agent.page, "tccc-workbench") == []
    assert label_in_name_problems(customer.page, "switchboard-chat") == []

    call_agent, caller, call = answered_call(admin, agent_page, customer_page, "Hedy Lamarr", "Ivy")
    call_agent.wb(".fab").click()
    # Accepted through the SDK, the call opens in the workbench by itself.
    call_agent.wb(".chat").get_by_role("button", name="Hang up").wait_for()
    assert label_in_name_problems(call_agent.page, "tccc-workbench") == []
    assert label_in_name_problems(caller.page, "switchboard-chat") == []
