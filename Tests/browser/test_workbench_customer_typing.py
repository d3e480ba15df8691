"""Issue 15, "What agents expect": the customer's typing shown to the agent. The widget sends a
throttled typing signal; the server relays it to the agent holding the chat (nothing stored); the
workbench shows "Ann is typing…", cleared by the message or after a few quiet seconds."""

from conftest import screenshot
from test_workbench_canned_replies import sign_in

TYPING = "() => document.querySelector('tccc-workbench').shadowRoot.querySelector('.typing-line').innerText"


def test_the_agent_sees_the_customer_typing_until_the_message_arrives_or_they_stop(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page, workbench = sign_in(contexts, user, "frequency-hopping", {"width": 1366, "height": 800})
    customer = customer_page(group)
    session = customer.start("Ann", "Hello")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Hello").wait_for()
    line = workbench.locator(".typing-line")
    assert line.inner_text() == ""

    box = customer.w(".compose textarea")
    box.press_sequentially("Actually, one more thi")
    page.wait_for_function(f"() => ({TYPING})() === 'Ann is typing…'")
    assert line.get_attribute("aria-live") == "polite"
    # The session list says so too (for chats not on screen, where it matters most).
    assert workbench.locator(f".sessions-list li[data-key='{session}'] .last").inner_text() == "typing…"
    screenshot(page, "workbench-customer-typing")
    box.press_sequentially("ng")
    box.press("Enter")
    workbench.locator(".transcript").get_by_text("Actually, one more thing").wait_for()
    page.wait_for_function(f"() => ({TYPING})() === ''")

    # Typing, then nothing: the line goes by itself after a few seconds. (The widget signals at
    # most every 3 s, so the next keys must come after that to be signalled again.)
    customer.page.wait_for_timeout(3100)
    box.press_sequentially("Hm")
    page.wait_for_function(f"() => ({TYPING})() === 'Ann is typing…'")
    page.wait_for_function(f"() => ({TYPING})() === ''", timeout=9000)
    # Nothing was stored: the transcript has the two messages only.
    messages = admin.get(f"/api/v1/sessions/{session}/messages")["messages"]
    assert [m["text"] for m in messages if m["from"] == "customer"] == ["Hello", "Actually, one more thing"]
    # The typing frames never moved the SDK's event cursor or showed up as events.
    assert page.evaluate("() => TCCC.debug.frames().filter(f => f.type === 'customerTyping').every(f => f.seq === undefined)")
