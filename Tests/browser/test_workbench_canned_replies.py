"""Issue 15, "What agents expect": canned replies. Shared ones come from the admin API, personal
ones are the agent's own (managed in the workbench); "/" in the reply box opens a filtered list
that the keyboard drives and Enter or Tab inserts."""

from conftest import screenshot, sign_in_workbench


def sign_in(contexts, user, password, viewport):
    """The agent page (/agent/) signed in and free, as an agent starts the day."""
    page = contexts(viewport=viewport).new_page()
    page.goto("/agent/")
    workbench = sign_in_workbench(page, user, password)
    return page, workbench


def test_slash_opens_a_filtered_list_that_the_keyboard_drives_and_inserts_from(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    other = admin.group()
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    admin.request("POST", "/api/v1/canned-replies", {"skillGroupId": group, "shortcut": "/refund", "title": "Refund on its way",
                                                      "text": "Your refund is on its way: 3 to 5 working days."}, expect=201)
    admin.request("POST", "/api/v1/canned-replies", {"skillGroupId": group, "shortcut": "/returns", "title": "How to return",
                                                      "text": "Print the label from your order page."}, expect=201)
    admin.request("POST", "/api/v1/canned-replies", {"skillGroupId": other, "shortcut": "/refund-other", "title": "Not this team's",
                                                      "text": "Another team's reply."}, expect=201)
    page, workbench = sign_in(contexts, user, "frequency-hopping", {"width": 1366, "height": 800})

    customer = customer_page(group)
    session = customer.start("Ann", "Where is my refund?")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Where is my refund?").wait_for()

    reply = workbench.get_by_role("textbox", name="Reply")
    reply.press_sequentially("Hello! /re")
    listbox = workbench.get_by_role("listbox", name="Canned replies")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    options.first.wait_for()
    # Both of the group's replies start with "re"; the other group's is not this agent's.
    assert [o.get_attribute("data-shortcut") for o in options.all()] == ["refund", "returns"]
    assert reply.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert reply.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    screenshot(page, "workbench-canned-replies")

    # Typing narrows it; arrows move the choice; Escape closes only the list.
    reply.press_sequentially("t")
    page.wait_for_function("() => document.querySelector('tccc-workbench').shadowRoot.querySelectorAll('.canned-option').length === 1")
    reply.press("Backspace")
    options.nth(1).wait_for()
    reply.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert reply.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    reply.press("Escape")
    assert listbox.is_hidden() and workbench.locator(".chat").is_visible()
    assert reply.input_value() == "Hello! /re"

    # Enter inserts the chosen reply in place of "/re" and does not send.
    reply.press_sequentially("f")
    options.first.wait_for()
    reply.press("Enter")
    assert reply.input_value() == "Hello! Your refund is on its way: 3 to 5 working days."
    assert listbox.is_hidden()
    assert customer.messages()[-1]["text"] == "Where is my refund?"
    # The second Enter sends it, as for anything typed.
    reply.press("Enter")
    customer.wait_text("Hello! Your refund is on its way: 3 to 5 working days.")

    # A slash inside a word (a date, a URL) opens nothing.
    reply.fill("")
    reply.press_sequentially("on 12/re")
    page.wait_for_timeout(200)
    assert listbox.is_hidden()

    # The Replies panel lists the team's replies, read-only here.
    workbench.get_by_role("button", name="Replies").click()
    panel = workbench.get_by_role("region", name="Canned replies")
    panel.locator(".canned-item[data-shortcut='returns']").wait_for()
    assert "Shared · " + group in panel.locator(".canned-item[data-shortcut='refund']").inner_text()
    assert panel.locator(".canned-item[data-shortcut='refund-other']").count() == 0
    screenshot(page, "workbench-canned-replies-panel")


def test_an_agent_adds_changes_and_deletes_its_own_replies_and_the_server_says_what_is_wrong(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Grace Hopper", password="cobol-forever")
    admin.request("POST", "/api/v1/canned-replies", {"skillGroupId": group, "shortcut": "thanks", "title": "Thanks (team)",
                                                      "text": "Thank you for waiting."}, expect=201)
    page, workbench = sign_in(contexts, user, "cobol-forever", {"width": 390, "height": 800})
    customer = customer_page(group)
    session = customer.start("Ann", "Hi")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Hi").wait_for()

    toggle = workbench.get_by_role("button", name="Replies")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = workbench.get_by_role("region", name="Canned replies")
    shared = panel.locator(".canned-item[data-shortcut='thanks']")
    shared.wait_for()
    # The team's reply is listed but not the agent's to change.
    assert shared.get_attribute("data-scope") == "skillGroup" and shared.get_by_role("button").count() == 0

    panel.get_by_role("button", name="New reply").click()
    form = workbench.get_by_role("form", name="Your canned reply")
    form.get_by_label("Shortcut").fill("/bye")
    form.get_by_label("Title").fill("Goodbye")
    form.get_by_label("Text").fill("Have a nice day, Ann!")
    form.get_by_role("button", name="Save").click()
    mine = panel.locator(".canned-item[data-shortcut='bye']")
    mine.wait_for()
    assert mine.get_attribute("data-scope") == "agent" and "Mine" in mine.inner_text()
    assert [r["shortcut"] for r in admin.get(f"/api/v1/canned-replies?agentId={user}")["items"]] == ["bye"]

    # A shortcut already taken: the server's reason is shown, what was typed stays.
    panel.get_by_role("button", name="New reply").click()
    form.get_by_label("Shortcut").fill("/BYE")
    form.get_by_label("Title").fill("Another goodbye")
    form.get_by_label("Text").fill("Bye!")
    form.get_by_role("button", name="Save").click()
    status = form.get_by_role("alert")
    status.get_by_text("already has a canned reply with the shortcut /bye").wait_for()
    assert form.get_by_label("Text").input_value() == "Bye!"
    form.get_by_role("button", name="Cancel").click()

    # Changed, then inserted with Tab.
    mine.get_by_role("button", name="Change /bye").click()
    form.get_by_label("Text").fill("Goodbye, and thanks for shopping with us!")
    form.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.querySelector('tccc-workbench').shadowRoot.querySelector('form.canned-form').hidden")
    toggle.click()
    reply = workbench.get_by_role("textbox", name="Reply")
    reply.press_sequentially("/by")
    workbench.get_by_role("listbox", name="Canned replies").get_by_role("option").first.wait_for()
    reply.press("Tab")
    assert reply.input_value() == "Goodbye, and thanks for shopping with us!"
    # On a narrow screen the Replies button still leaves the reply box inside its column.
    box, column = workbench.locator(".composer").bounding_box(), workbench.locator(".conversation").bounding_box()
    assert box["x"] >= column["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 1, (box, column)

    toggle.click()
    mine.get_by_role("button", name="Delete /bye").click()
    mine.wait_for(state="detached")
    assert admin.get(f"/api/v1/canned-replies?agentId={user}")["items"] == []
