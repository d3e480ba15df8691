"""Issue 15, "What agents expect": keyboard shortcuts for accept, next session, transfer and end,
working from anywhere in the page (the reply box included) and named on the buttons."""

from test_workbench_canned_replies import sign_in


def test_alt_shift_keys_accept_move_between_sessions_open_transfer_and_end(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Grace Hopper", password="compiler-first")
    page, workbench = sign_in(contexts, user, "compiler-first", {"width": 1366, "height": 800})

    # Nothing ringing: the key is left to the page (and nothing breaks).
    page.keyboard.press("Alt+Shift+A")
    first_customer = customer_page(group)
    first = first_customer.start("Ann", "Hello from Ann")
    offer = workbench.locator(f".offer[data-key='{first}'] button.accept")
    offer.wait_for()
    assert offer.get_attribute("aria-keyshortcuts") == "Alt+Shift+A"
    page.keyboard.press("Alt+Shift+A")
    workbench.locator(".transcript").get_by_text("Hello from Ann").wait_for()

    second_customer = customer_page(group)
    second = second_customer.start("Bob", "Hello from Bob")
    workbench.locator(f".offer[data-key='{second}'] button.accept").wait_for()
    # From the reply box: the shortcut still works there.
    workbench.locator(".composer textarea").focus()
    page.keyboard.press("Alt+Shift+A")
    workbench.locator(".transcript").get_by_text("Hello from Bob").wait_for()
    assert workbench.locator(".composer textarea").input_value() == "", "no letter typed into the reply"

    # Next session wraps round the list: Bob is open, so next is Ann, then Bob again.
    page.keyboard.press("Alt+Shift+N")
    workbench.locator(".transcript").get_by_text("Hello from Ann").wait_for()
    page.keyboard.press("Alt+Shift+N")
    workbench.locator(".transcript").get_by_text("Hello from Bob").wait_for()

    transfer = workbench.locator(".chat-head button.transfer-toggle")
    assert transfer.get_attribute("aria-keyshortcuts") == "Alt+Shift+T"
    page.keyboard.press("Alt+Shift+T")
    assert transfer.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Alt+Shift+T")
    assert transfer.get_attribute("aria-expanded") == "false"

    end = workbench.locator(".chat-head button.end")
    assert end.get_attribute("aria-keyshortcuts") == "Alt+Shift+E" and "Alt+Shift+E" in end.get_attribute("title")
    page.keyboard.press("Alt+Shift+E")
    second_customer.w(".ended").wait_for()
    assert admin.get(f"/api/v1/sessions/{second}")["endStatus"] == "ok"
    # Ann's chat is untouched: still held, and now the only one in My sessions.
    workbench.locator(f".sessions-list li[data-key='{second}']").wait_for(state="detached")
    assert workbench.locator(".sessions-list li").count() == 1
    assert workbench.locator(f".sessions-list li[data-key='{first}']").is_visible()
