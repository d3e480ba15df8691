"""Issue 15, "What agents expect": wrap-up. Disposition codes per skill group (edited on the
supervisor page); when a session the agent held ends, the workbench asks for a code and a note,
saved with the session's record."""

from conftest import screenshot
from test_supervisor import sign_in as supervisor_sign_in
from test_workbench_canned_replies import sign_in


def test_a_session_that_ends_asks_for_a_disposition_and_a_note_saved_with_the_record(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60, wrapUpSeconds=30, dispositionCodes=["Resolved", "Callback needed", "Escalated"])
    user = admin.agent([group], name="Hedy Lamarr", password="frequency-hopping")
    page, workbench = sign_in(contexts, user, "frequency-hopping", {"width": 1366, "height": 800})
    customer = customer_page(group)
    session = customer.start("Ann", "My parcel never came")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("My parcel never came").wait_for()
    workbench.get_by_role("button", name="End the chat with Ann").click()

    form = workbench.get_by_role("form", name="Wrap up: chat with Ann")
    form.wait_for()
    disposition = form.get_by_label("Disposition")
    page.wait_for_function("() => document.querySelector('tccc-workbench').shadowRoot.querySelectorAll('.wrap-up-code option').length === 4")
    assert [o for o in disposition.locator("option").all_inner_texts()] == ["Choose…", "Resolved", "Callback needed", "Escalated"]
    # The agent's status is Wrap-up for the group's 30 s meanwhile.
    page.wait_for_function("() => TCCC.Agent.getStatus() === 'arrange'")
    # Saving without a code says what is missing, in the page.
    form.get_by_role("button", name="Save wrap-up").click()
    form.get_by_role("alert").get_by_text("Choose a disposition.").wait_for()

    disposition.select_option("Callback needed")
    form.get_by_label("Note").fill("Call back on Monday about order 1207")
    assert "36 / 2,000" in form.locator(".wrap-up-count").inner_text()
    screenshot(page, "workbench-wrap-up")
    # Meanwhile an admin drops that code: the server refuses it in its words, the note stays.
    admin.request("PUT", f"/api/v1/skill-groups/{group}", {"offerTimeoutSeconds": 60, "wrapUpSeconds": 30,
                                                           "dispositionCodes": ["Resolved", "Escalated"]}, expect=200)
    form.get_by_role("button", name="Save wrap-up").click()
    form.get_by_role("alert").get_by_text("disposition code 'Callback needed' is not one of skill group").wait_for()
    assert form.get_by_label("Note").input_value() == "Call back on Monday about order 1207"
    assert admin.session(session)["dispositionCode"] is None

    disposition.select_option("Escalated")
    form.get_by_role("button", name="Save wrap-up").click()
    form.wait_for(state="hidden")
    record = admin.session(session)
    assert record["dispositionCode"] == "Escalated" and record["wrapUpNote"] == "Call back on Monday about order 1207"
    assert record["wrappedUpBy"] == user and record["wrappedUpAt"] >= record["endedAt"]


def test_the_customer_leaving_also_asks_for_the_wrap_up_and_later_puts_it_aside(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Grace Hopper", password="cobol-forever")
    page, workbench = sign_in(contexts, user, "cobol-forever", {"width": 390, "height": 800})
    customer = customer_page(group)
    session = customer.start("Bo", "Thanks, all good")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Thanks, all good").wait_for()
    customer.w(".leave").click()
    form = workbench.get_by_role("form", name="Wrap up: chat with Bo")
    form.wait_for()
    # A group without codes: the wrap-up is a note alone.
    form.get_by_label("Note").wait_for()
    page.wait_for_function("() => document.querySelector('tccc-workbench').shadowRoot.querySelector('.wrap-up-meta').innerText.includes('Skill group')")
    assert form.get_by_label("Disposition").is_hidden()
    # On a narrow screen the form spans the workbench, under its header, never wider.
    box, panel = form.bounding_box(), workbench.locator(".panel").bounding_box()
    assert box["x"] >= panel["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, (box, panel)
    form.get_by_role("button", name="Later").click()
    form.wait_for(state="hidden")
    assert admin.session(session)["wrapUpNote"] is None


def test_an_admin_edits_the_disposition_codes_on_the_supervisor_page(admin, contexts):
    user = admin.supervisor("admin", name="Grace Groups")
    group = admin.group(name="Group With Codes")
    page = supervisor_sign_in(contexts, user)
    page.locator(f"#groups tr[data-group='{group}']").wait_for()
    page.get_by_role("button", name="Edit settings of Group With Codes").click()
    codes = page.get_by_label("Disposition codes (one a line; agents pick one when they wrap a session up)")
    codes.fill("Resolved\nCallback needed\n\nEscalated")
    page.get_by_role("button", name="Save settings").click()
    page.locator("#group-dialog").wait_for(state="hidden")
    assert admin.get(f"/api/v1/skill-groups/{group}")["dispositionCodes"] == ["Resolved", "Callback needed", "Escalated"]
    page.wait_for_function("""(id) => document.querySelector(`#groups tr[data-group='${id}']`).innerText.includes('3 disposition codes')""", arg=group)

    # Opened again, the codes are there; a code twice is refused in the server's words.
    page.get_by_role("button", name="Edit settings of Group With Codes").click()
    assert codes.input_value() == "Resolved\nCallback needed\nEscalated"
    codes.fill("Resolved\nresolved")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_function("() => document.querySelector('#group-error').innerText.includes('listed twice')")
    page.get_by_role("button", name="Cancel").click()
    assert admin.get(f"/api/v1/skill-groups/{group}")["dispositionCodes"] == ["Resolved", "Callback needed", "Escalated"]
