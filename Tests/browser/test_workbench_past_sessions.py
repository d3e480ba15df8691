"""Issue 15, "Conversation history and search across the agent's past sessions": the workbench's
past sessions dialog over the server's records (not only this page's), searched by customer and
message text, opening a transcript."""

from conftest import screenshot
from test_workbench_canned_replies import sign_in


def chat_and_end(workbench, customer, nickname, says, reply):
    session = customer.start(nickname, says)
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text(says).wait_for()
    workbench.locator(".composer textarea").fill(reply)
    workbench.locator(".composer button.send").click()
    customer.wait_text(reply)
    workbench.locator(".chat-head button.end").click()
    customer.w(".ended").wait_for()
    return session


def test_past_sessions_are_searched_by_customer_and_message_and_open_their_transcript(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Margaret Hamilton", password="apollo-guidance")
    page, workbench = sign_in(contexts, user, "apollo-guidance", {"width": 1366, "height": 800})
    ann = chat_and_end(workbench, customer_page(group), "Ann", "Where is parcel 4711?", "It leaves the depot today.")
    bob = chat_and_end(workbench, customer_page(group), "Bob", "Hello there", "Hello Bob, how can I help?")

    # After a reload the page's own Recent list is gone; the server's records are not.
    page.reload()
    workbench.locator(".panel").wait_for()
    workbench.locator(".past-open").click()
    dialog = workbench.locator(".past-dialog")
    dialog.locator(f"button[data-session='{bob}']").wait_for()
    assert dialog.locator(".past-list li").count() == 2
    # Newest first.
    assert dialog.locator(".past-list button").first.get_attribute("data-session") == bob

    # Words from the chat, in another letter case, find Ann's session alone.
    search = dialog.get_by_role("searchbox")
    search.fill("PARCEL")
    search.press("Enter")
    dialog.locator(f"button[data-session='{bob}']").wait_for(state="detached")
    dialog.locator(f"button[data-session='{ann}']").click()
    transcript = dialog.locator(".past-transcript")
    transcript.get_by_text("Where is parcel 4711?").wait_for()
    transcript.get_by_text("It leaves the depot today.").wait_for()
    assert "Margaret Hamilton" in transcript.locator("li[data-from='agent'] .by").first.inner_text()
    assert transcript.locator("li").first.get_attribute("dir") == "auto"
    screenshot(page, "workbench-past-sessions-chat")

    # The customer's name finds it too; something no session has finds nothing, and says so.
    search.fill("bob")
    search.press("Enter")
    dialog.locator(f"button[data-session='{bob}']").wait_for()
    search.fill("no such words anywhere")
    search.press("Enter")
    dialog.get_by_text('No session of yours matches "no such words anywhere".').wait_for()

    # Escape closes it, as a dialog does.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => window.__errors || []") == []
