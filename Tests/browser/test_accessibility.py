"""Issue 15: accessibility checked with axe-core's rules (the axe-playwright-python package bundles
axe-core) on the pages as people use them: the workbench signed in with a ringing offer and an
accepted chat, the widget in a chat, the supervisor page signed in, in the light and the dark
theme. A serious or critical violation fails the test, named with the nodes it was found on."""

import os

import pytest

from conftest import screenshot, sign_in_workbench

PASSWORD = "frequency-hopping"
LAPTOP = {"width": 1366, "height": 800}


def serious_violations(page):
    """axe-core's serious and critical findings on the page (open shadow roots included)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical") or os.environ.get("AXE_ALL"):
            targets = [" > ".join(str(t) for t in node["target"]) for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
            if os.environ.get('AXE_DEBUG'):
                for node in violation['nodes'][:8]:
                    print('AXE', violation['id'], node['target'], node.get('failureSummary', '').replace(chr(10), ' ')[:300])
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_workbench_with_a_ringing_offer_and_a_chat_passes_axe(admin, contexts, customer_page, scheme):
    group = admin.group(offerTimeoutSeconds=120)
    user = admin.agent([group], name="Hedy Lamarr", password=PASSWORD)
    page = contexts(viewport=LAPTOP, color_scheme=scheme).new_page()
    page.goto("/agent/")
    assert serious_violations(page) == []
    workbench = sign_in_workbench(page, user, PASSWORD)

    first = customer_page(group).start("Ann", "Where is my parcel?")
    workbench.locator(f".offer[data-key='{first}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Where is my parcel?").wait_for()
    page.keyboard.type("Let me look.")
    page.keyboard.press("Enter")
    workbench.locator(".transcript .msg.agent").wait_for()
    second = customer_page(group).start("Bo", "Hello")
    workbench.locator(f".offer[data-key='{second}']").wait_for()
    assert serious_violations(page) == []
    # The transfer form and the canned replies panel are part of the main flow too.
    workbench.locator("button.transfer-toggle").click()
    workbench.locator(".transfer-option").first.wait_for()
    workbench.locator("button.canned-toggle").click()
    workbench.locator(".canned-panel").wait_for()
    screenshot(page, f"workbench-axe-{scheme}")
    assert serious_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_widget_in_a_chat_passes_axe(admin, agent_page, customer_page, contexts, scheme):
    group = admin.group(offerTimeoutSeconds=60)
    agent = agent_page(admin.agent([group], name="Hedy Lamarr"))
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group, context=contexts(color_scheme=scheme))
    customer.w(".launcher").click()
    customer.w("input[name=nickname]").wait_for()
    assert serious_violations(customer.page) == []
    customer.w("input[name=nickname]").fill("Ann")
    customer.w("textarea[name=message]").fill("Do you ship to Norway?")
    customer.w(".start button[type=submit]").click()
    customer.page.wait_for_function("() => window.SwitchboardChat.state().sessionId")
    session = customer.session_id()
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Yes, in 3 to 5 days.'})", session)
    customer.wait_text("Yes, in 3 to 5 days.")
    assert serious_violations(customer.page) == []
    customer.w(".leave").click()
    customer.w(".new-chat").wait_for()
    assert serious_violations(customer.page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_supervisor_page_passes_axe(admin, agent_page, customer_page, contexts, scheme):
    group = admin.group(name="Returns desk", offerTimeoutSeconds=60)
    agent = agent_page(admin.agent([group], name="Busy Bee"))
    agent.call("() => TCCC.Agent.online()")
    session = customer_page(group).start("Held Hal")
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    customer_page(group).start("Waiting Wendy")
    supervisor = admin.supervisor("admin", name="Ada Admin", password="watch the queues")
    page = contexts(viewport=LAPTOP, color_scheme=scheme).new_page()
    page.goto("/supervisor/")
    page.locator("#signin-form").wait_for()
    assert serious_violations(page) == []
    page.get_by_label("User id", exact=True).fill(supervisor)
    page.get_by_label("Password", exact=True).fill("watch the queues")
    page.get_by_role("button", name="Sign in").click()
    page.locator(f"tr[data-session='{session}']").wait_for()
    page.locator("#live-state.ok").wait_for()
    page.locator("#accounts tbody tr").first.wait_for()
    assert serious_violations(page) == []
    page.locator(f"tr[data-session='{session}'] button").click()
    page.locator("#end-dialog").wait_for()
    assert serious_violations(page) == []


def test_the_landing_page_passes_axe(contexts):
    for scheme in ["light", "dark"]:
        page = contexts(color_scheme=scheme).new_page()
        page.goto("/")
        assert serious_violations(page) == []
