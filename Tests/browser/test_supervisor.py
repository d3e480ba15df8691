"""The supervisor page's sign-in (docs/security.md, "Supervisor accounts"): an HttpOnly cookie and
a CSRF token kept in memory, nothing secret in the page's storage, roles that hide configuration
from supervisors, and refusals the page shows clearly."""

import json

from conftest import screenshot


def sign_in(contexts, user, password="correct horse battery", viewport=None):
    page = contexts(**({"viewport": viewport} if viewport else {})).new_page()
    page.goto("/supervisor/")
    page.get_by_label("User id", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#dashboard").wait_for()
    page.locator("#updated").get_by_text("Updated").wait_for()
    return page


def session_cookie(page):
    return [c for c in page.context.cookies() if c["name"] == "switchboard_supervisor"]


def test_supervisor_page_keeps_no_secret_where_scripts_can_read_it(admin, contexts):
    user = admin.supervisor("supervisor")
    page = sign_in(contexts, user)
    # The sign-in is a cookie no script can read, sent only to this site, for the whole path.
    (cookie,) = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert "switchboard_supervisor" not in page.evaluate("() => document.cookie")
    # Nothing secret kept in the page's storage (the old page kept the API key in sessionStorage):
    # only the hint that this browser signed in, so a first visit does not ask (and get a 401).
    storage = page.evaluate("""() => ({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})""")
    assert storage == {"local": {"switchboard.supervisor.signedIn": "1"}, "session": {}}, storage
    assert cookie["value"] not in json.dumps(storage)

    # A reload stays signed in: the page asks the server who it is (and for the CSRF token).
    page.reload()
    page.locator("#who").wait_for()
    assert user in page.locator("#who").inner_text()
    assert page.evaluate("() => Object.keys(localStorage).concat(Object.keys(sessionStorage))") == ["switchboard.supervisor.signedIn"]

    # Signing out ends the session on the server, not only in the page.
    page.get_by_role("button", name="Sign out").click()
    page.locator("#signin-form").wait_for()
    assert session_cookie(page) == []
    answer = page.context.request.get("/api/v1/queues", headers={"Cookie": f"switchboard_supervisor={cookie['value']}"})
    assert answer.status == 401


def test_supervisor_role_hides_configuration_and_the_server_refuses_it(admin, contexts):
    user = admin.supervisor("supervisor", name="Sue Supervisor")
    page = sign_in(contexts, user)
    assert page.locator("#who-role").inner_text() == "SUPERVISOR"
    assert page.locator("#accounts-card").is_hidden()
    assert page.get_by_role("button", name="Add account").is_hidden()

    # Going around the page changes nothing either: the server answers 403, naming the role.
    group = f"{user}-group"
    refused = page.evaluate("""async (group) => {
        const who = await (await fetch('/api/v1/auth/session')).json();
        const answer = await fetch('/api/v1/skill-groups', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': who.csrfToken}, body: JSON.stringify({id: group})});
        return {status: answer.status, body: await answer.json()};
    }""", group)
    assert refused["status"] == 403 and refused["body"]["error"]["code"] == "forbiddenForRole"
    assert "role 'supervisor'" in refused["body"]["error"]["message"]
    assert admin.request("GET", f"/api/v1/skill-groups/{group}", expect=404)["error"]["code"] == "unknownSkillGroup"
    # A page of another site could not even send the cookie (SameSite=Strict); one on this site
    # without the token is refused too.
    forged = page.evaluate("""async () => (await fetch('/api/v1/configuration', {method: 'PUT',
        headers: {'Content-Type': 'application/json'}, body: '{}'})).status""")
    assert forged == 403


def test_supervisor_demoted_while_the_page_is_open_sees_the_refusal_clearly(admin, contexts):
    user = admin.supervisor("admin", name="Ada Admin")
    page = sign_in(contexts, user)
    assert page.locator("#who-role").inner_text() == "ADMIN"
    page.locator(f"#accounts tr[data-account='{user}']").wait_for()
    assert page.get_by_role("button", name="Add account").is_visible()

    newcomer = f"{user}-new"
    page.get_by_label("New user id").fill(newcomer)
    page.get_by_label("New password").fill("a long enough password")
    admin.request("PUT", f"/api/v1/supervisors/{user}", {"role": "supervisor", "name": "Ada Admin"}, expect=200)
    # Submitted from script: a refresh that lands first may already have hidden the form (and
    # shown its own refusal); the submission must be refused and shown either way.
    page.evaluate("() => document.getElementById('account-form').requestSubmit()")

    refused = page.locator("#refused")
    refused.wait_for()
    text = refused.inner_text()
    assert "Not allowed" in text and "role 'supervisor'" in text and "needs role 'admin'" in text, text
    # The page asks the server again and stops offering what would be refused.
    page.locator("#accounts-card").wait_for(state="hidden")
    assert page.locator("#who-role").inner_text() == "SUPERVISOR"
    screenshot(page, "supervisor-refused")
    assert admin.request("GET", f"/api/v1/supervisors/{newcomer}", expect=404)["error"]["code"] == "unknownSupervisor"
    page.get_by_role("button", name="Dismiss").click()
    assert refused.is_hidden()


def test_supervisor_accounts_are_managed_by_an_admin_on_the_page(admin, contexts):
    user = admin.supervisor("admin", name="Ada Admin")
    page = sign_in(contexts, user, viewport={"width": 1280, "height": 1000})
    newcomer = f"{user}-sam"
    page.get_by_label("New user id").fill(newcomer)
    page.get_by_label("Display name").fill("Sam Watch")
    page.get_by_label("Role", exact=True).select_option("supervisor")
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Add account").click()
    error = page.locator("#account-error")
    error.wait_for()
    assert "8 to 128 characters" in error.inner_text()
    page.get_by_label("New password").fill("watch the queues")
    page.get_by_role("button", name="Add account").click()
    row = page.locator(f"#accounts tr[data-account='{newcomer}']")
    row.wait_for()
    assert "Sam Watch" in row.inner_text() and "supervisor" in row.inner_text()
    assert page.locator(f"#accounts tr[data-account='{user}']").get_by_text("you").is_visible()
    screenshot(page, "supervisor-accounts")

    # The new account signs in elsewhere; deleting it here ends that session at once.
    other = sign_in(contexts, newcomer, "watch the queues")
    assert other.locator("#who-role").inner_text() == "SUPERVISOR"
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Delete account {newcomer}").click()
    row.wait_for(state="detached")
    other.locator("#signin-error").wait_for(timeout=5000)
    assert "session has ended" in other.locator("#signin-error").inner_text()


def test_admin_edits_every_skill_group_setting_on_the_page_and_bad_values_change_nothing(admin, contexts):
    """The settings of docs/admin-api.md's skill-group table are shown and edited on the page;
    what the server refuses is shown in the form in its own words, and nothing changes."""
    user = admin.supervisor("admin", name="Grace Groups")
    group = admin.group(name="Group Under Edit")
    page = sign_in(contexts, user)
    row = page.locator(f"#groups tr[data-group='{group}']")
    row.wait_for()
    assert "defaults" in row.inner_text() and "Always open" in row.inner_text()

    page.get_by_role("button", name="Edit settings of Group Under Edit").click()
    dialog = page.locator("#group-dialog")
    dialog.wait_for()
    page.get_by_label("Strategy").select_option("skillLevel")
    page.get_by_label("Ring timeout (s)").fill("25")
    page.get_by_label("Queue timeout (s, 0 none)").fill("300")
    page.get_by_label("Longest queue (0 no limit)").fill("40")
    page.get_by_label("Chats per agent from this group (0 no limit)").fill("2")
    page.get_by_label("Longest session (s, 0 none)").fill("3600")
    page.get_by_label("Ring all").check()
    page.get_by_label("Last seat first").check()
    page.get_by_label("Move on when an offer rings out").uncheck()
    page.get_by_label("Turn customers away when nobody is online").check()
    page.locator("#group-hours-on").check()
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_label("Monday").fill("09:00-12:30, 13:30-18:00")
    page.get_by_label("Saturday").fill("")
    screenshot(page, "supervisor-group-settings")
    page.get_by_role("button", name="Save settings").click()
    dialog.wait_for(state="hidden")

    saved = admin.get(f"/api/v1/skill-groups/{group}")
    assert saved["strategy"] == "skillLevel" and saved["offerTimeoutSeconds"] == 25 and saved["queueTimeoutSeconds"] == 300
    assert saved["maxQueueLength"] == 40 and saved["maxConcurrency"] == 2 and saved["maxSessionSeconds"] == 3600
    assert saved["ringAll"] and saved["usingLastSeat"] and not saved["timeoutTransfer"] and saved["endWhenNoSeatOnline"]
    assert saved["workingHours"]["timeZone"] == "Europe/Berlin"
    assert saved["workingHours"]["weekly"]["monday"] == ["09:00-12:30", "13:30-18:00"]
    assert saved["workingHours"]["weekly"]["saturday"] == []
    assert saved["name"] == "Group Under Edit"
    # The table says what is set, in words.
    page.wait_for_function("""(id) => document.querySelector(`#groups tr[data-group='${id}']`).innerText.includes('ring all')""", arg=group)
    text = row.inner_text()
    assert "last seat" in text and "rings on at the same agent" in text and "queue ≤ 40" in text and "Europe/Berlin" in text

    # A zone the server does not know and a day range it cannot read are refused in its words,
    # the dialog stays open with the typed values, and the group is as it was.
    page.get_by_role("button", name="Edit settings of Group Under Edit").click()
    page.get_by_label("Time zone").fill("Atlantis/Nowhere")
    page.get_by_role("button", name="Save settings").click()
    error = page.locator("#group-error")
    error.wait_for()
    assert "Atlantis/Nowhere" in error.inner_text(), error.inner_text()
    assert page.get_by_label("Time zone").input_value() == "Atlantis/Nowhere"
    page.get_by_label("Time zone").fill("UTC")
    page.get_by_label("Tuesday").fill("9-5")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_function("() => document.querySelector('#group-error').innerText.includes('9-5')")
    page.get_by_label("Tuesday").fill("")
    page.get_by_label("Longest queue (0 no limit)").fill("lots")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_function("() => document.querySelector('#group-error').innerText.includes('lots')")
    page.get_by_role("button", name="Cancel").click()
    settings = lambda g: {k: v for k, v in g.items() if k not in ("waiting", "withinWorkingHours", "members", "membersOnline")}
    assert settings(admin.get(f"/api/v1/skill-groups/{group}")) == settings(saved)
    screenshot(page, "supervisor-skill-groups")


def test_supervisor_role_sees_group_settings_without_an_edit_button(admin, contexts):
    user = admin.supervisor("supervisor")
    group = admin.group(name="Read Only Group", ringAll=True)
    page = sign_in(contexts, user)
    row = page.locator(f"#groups tr[data-group='{group}']")
    row.wait_for()
    assert "ring all" in row.inner_text()
    assert row.get_by_role("button").count() == 0


def test_a_supervisor_assigns_a_waiting_chat_to_a_chosen_agent(admin, agent_page, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    other = admin.group(offerTimeoutSeconds=60)
    resting = agent_page(admin.agent([group], name="Ada Resting"))
    resting.call("() => TCCC.Agent.online()")
    resting.call("() => TCCC.Agent.setStatus({status: 'rest'})")
    helper_id = admin.agent([other], name="Bea Billing")
    helper = agent_page(helper_id)
    helper.call("() => TCCC.Agent.online()")
    first = customer_page(group).start("Ann", "Is anybody there?")
    second = customer_page(group).start("Ben", "Hello?")

    page = sign_in(contexts, admin.supervisor("supervisor"), viewport={"width": 1366, "height": 900})
    row = page.locator(f"#sessions tr[data-session='{first}']")
    row.get_by_role("button", name=f"Assign session {first} to an agent").click()
    dialog = page.get_by_role("dialog", name="Assign session")
    choice = dialog.get_by_label("Agent")
    assert [o for o in choice.locator("option").all_inner_texts() if helper_id in o], "a free agent of another group is offered"
    assert not [o for o in choice.locator("option").all_inner_texts() if "Ada Resting" in o], "a resting agent is not"
    choice.select_option(helper_id)
    screenshot(page, "supervisor-assign-session")
    dialog.get_by_role("button", name="Ring this agent").click()
    dialog.wait_for(state="hidden")
    helper.wait_event("callIn", {"sessionId": first})
    row.get_by_text("ringing").wait_for()
    assert row.get_by_role("button", name=f"Assign session {first} to an agent").count() == 0, "only waiting sessions offer it"

    # The second is assigned elsewhere while the dialog is open: the server's refusal is shown.
    page.locator(f"#sessions tr[data-session='{second}']").get_by_role("button", name=f"Assign session {second} to an agent").click()
    choice.select_option(helper_id)
    admin.request("POST", f"/api/v1/sessions/{second}/assign", {"agentId": helper_id})
    dialog.get_by_role("button", name="Ring this agent").click()
    dialog.get_by_role("alert").get_by_text(f"session {second} is ringing at agent {helper_id}").wait_for()
    dialog.get_by_role("button", name="Cancel").click()
    assert helper.call("(id) => TCCC.Chat.accept({sessionId: id})", first) == {"status": "success"}
