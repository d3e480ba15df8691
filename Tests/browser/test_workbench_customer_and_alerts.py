"""Issue 15, "What agents expect": the customer panel beside the conversation, and alerts (a sound
for each offer, different for calls; a desktop notification while the tab is hidden; the count of
ringing and unread sessions in the tab title)."""

from conftest import screenshot, sign_in_workbench
from test_calls import start_call

# A 1x1 PNG: the avatar a shop page passes (data: URLs are allowed by the page's policy).
AVATAR = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

# Records what the page asks of WebAudio and Notification, and lets the test hide the tab.
RECORDER = """
(() => {
  window.__tones = [];
  window.__notes = [];
  window.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { get() { return window.__hidden; }, configurable: true });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (at) { window.__tones.push(this.frequency.value); return start.call(this, at); };
  class FakeNotification {
    constructor(title, options) { window.__notes.push({ title, body: options && options.body, tag: options && options.tag }); }
    close() {}
  }
  FakeNotification.permission = 'granted';
  FakeNotification.requestPermission = () => Promise.resolve('granted');
  window.Notification = FakeNotification;
})();
"""


def test_the_customer_panel_shows_who_the_customer_is_beside_the_conversation(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page = contexts(viewport={"width": 1366, "height": 800}).new_page()
    page.goto("/agent/")
    workbench = sign_in_workbench(page, user, "frequency-hopping")

    customer = customer_page(group, attrs=f'data-channel-name="acme-help" data-client-data="order=1207" data-remark="VIP" data-avatar="{AVATAR}"')
    session = customer.start("Ann Smith", "Where is my parcel?")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    transcript = workbench.locator(".transcript")
    transcript.get_by_text("Where is my parcel?").wait_for()

    panel = workbench.get_by_role("complementary", name="Customer")
    panel.wait_for()
    facts = dict(zip(panel.locator("dt").all_inner_texts(), panel.locator("dd").all_inner_texts()))
    assert panel.locator(".who-name").inner_text() == "Ann Smith"
    assert facts == {"Name": "Ann Smith", "Came from": "web", "Channel": "acme-help", "Page data": "order=1207", "Note": "VIP"}, facts
    assert panel.locator(".face img").get_attribute("src") == AVATAR
    # Beside the conversation, not over it.
    beside = panel.bounding_box()
    conversation = transcript.bounding_box()
    assert beside["x"] >= conversation["x"] + conversation["width"] - 1 and beside["width"] >= 240, (beside, conversation)
    screenshot(page, "workbench-customer-panel")


def test_the_customer_panel_in_the_floating_workbench_opens_with_a_button(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    agent = agent_page(admin.agent([group], name="Grace Hopper"))
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group, attrs='data-remark="VIP"')
    session = customer.start("Ann", "Hello?")
    agent.wb(".fab").click()
    agent.wb(f".offer[data-key='{session}'] button.accept").click()
    agent.wb(".transcript").get_by_text("Hello?").wait_for()
    toggle = agent.wb(".chat").get_by_role("button", name="Customer")
    assert toggle.get_attribute("aria-expanded") == "false" and agent.wb(".customer-panel").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert agent.wb(".customer-panel dd[data-field='Note']").inner_text() == "VIP"


def test_offers_ring_calls_ring_differently_and_hidden_tabs_get_a_notification(admin, agent_page, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Grace Hopper", imCapacity=3)
    context = contexts()
    context.add_init_script(RECORDER)
    agent = agent_page(user, context=context)
    agent.call("() => TCCC.Agent.online()")
    agent.wb(".fab").click()
    title = agent.page.title()

    # A chat: the chime (E6 then A5), not the ring; the title counts it.
    customer = customer_page(group)
    chat = customer.start("Ann", "Hello?")
    agent.wait_event("callIn", {"sessionId": chat})
    agent.page.wait_for_function("() => window.__tones.length >= 2")
    tones = agent.page.evaluate("() => window.__tones")
    assert 1318.5 in tones and 880 in tones and 440 not in tones, tones
    agent.page.wait_for_function("(t) => document.title === '(1) ' + t", arg=title)
    assert agent.page.evaluate("() => window.__notes") == []   # the tab is visible: no notification

    # The customer leaves before anyone answers: nothing rings, the title is as it was.
    customer.w(".leave").click()
    agent.page.wait_for_function("(t) => document.title === t", arg=title)

    # A call while the tab is hidden: the ring (440 + 480 Hz), and a desktop notification.
    agent.page.evaluate("() => { window.__tones = []; window.__hidden = true; }")
    caller = customer_page(group)
    call = start_call(caller, "Ivy")
    agent.wait_event("callIn", {"sessionId": call})
    agent.page.wait_for_function("() => window.__tones.includes(440) && window.__tones.includes(480)")
    assert 1318.5 not in agent.page.evaluate("() => window.__tones")
    notes = agent.page.evaluate("() => window.__notes")
    assert notes == [{"title": "Incoming voice from Ivy", "body": "Open the workbench to accept.", "tag": f"switchboard-{call}"}], notes
    agent.page.wait_for_function("(t) => document.title === '(1) ' + t", arg=title)
    screenshot(agent.page, "workbench-call-ringing")

    # The call keeps ringing every 3 s until it is answered; then it stops.
    agent.page.evaluate("() => { window.__tones = []; }")
    agent.page.wait_for_function("() => window.__tones.includes(440)", timeout=5000)
    assert agent.call("(id) => TCCC.Call.accept({sessionId: id})", call)["status"] == "success"
    agent.page.wait_for_function("(t) => document.title === t", arg=title)
    agent.page.wait_for_timeout(300)
    agent.page.evaluate("() => { window.__tones = []; }")
    agent.page.wait_for_timeout(3500)
    assert agent.page.evaluate("() => window.__tones") == []


def test_the_customer_panel_lists_the_customers_earlier_sessions_with_their_transcripts(admin, agent_page, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    bob_id = admin.agent([group], name="Bob Kahn")
    bob = agent_page(bob_id)
    bob.call("() => TCCC.Agent.online()")
    # Ann's first chat (the shop knows her as u-ann), served by Bob.
    first = customer_page(group, attrs='data-user-id="u-ann"').start("Ann", "My parcel is late")
    bob.wait_event("callIn", {"sessionId": first})
    assert bob.call("(id) => TCCC.Chat.accept({sessionId: id})", first) == {"status": "success"}
    bob.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'It left the warehouse today.'})", first)
    sent = bob.call("""([id, picture]) => fetch(picture).then(r => r.blob())
        .then(blob => TCCC.Chat.sendFile({sessionId: id, file: new File([blob], 'label.png', {type: 'image/png'})}))
        .then(answer => answer.status)""", [first, AVATAR])
    assert sent == "success", sent
    assert bob.call("(id) => TCCC.Chat.end({sessionId: id})", first) == {"status": "success"}
    bob.call("() => TCCC.Agent.offline()")

    # Ann comes back; Hedy answers and sees the earlier chat beside the new one.
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page = contexts(viewport={"width": 1366, "height": 800}).new_page()
    page.goto("/agent/")
    workbench = sign_in_workbench(page, user, "frequency-hopping")
    again = customer_page(group, attrs='data-user-id="u-ann"').start("Ann", "Still nothing")
    workbench.locator(f".offer[data-key='{again}'] button.accept").click()
    panel = workbench.get_by_role("complementary", name="Customer")
    earlier = panel.get_by_role("list", name="Earlier sessions")
    entry = earlier.locator(f"details[data-session='{first}']")
    entry.wait_for()
    assert earlier.locator("details").count() == 1
    assert "Bob" in entry.locator("summary").inner_text() or bob_id in entry.locator("summary").inner_text()
    entry.locator("summary").click()
    lines = entry.get_by_role("list", name="Transcript")
    lines.get_by_text("My parcel is late").wait_for()
    lines.get_by_text("It left the warehouse today.").wait_for()
    # Bob's picture, fetched through Hedy's own access to Ann's earlier sessions.
    page.wait_for_function("""(id) => {
        const img = document.querySelector('tccc-workbench').shadowRoot.querySelector(`details[data-session='${id}'] figure.attachment img`);
        return img && !img.hidden && img.src.startsWith('blob:') && img.naturalWidth > 0;
    }""", arg=first)
    screenshot(page, "workbench-customer-earlier-sessions")

    # A visitor the shop does not know has none, and the panel says so.
    stranger = customer_page(group).start("Cy", "Hello")
    workbench.locator(f".offer[data-key='{stranger}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Hello").wait_for()
    panel.get_by_text("None: this is their first session").wait_for()
