"""Several tenants on one server (docs/tenants.md), as their browsers meet it: a hosted tenant's
SdkURL logs its agent in to that tenant, the widget named by `data-sdk-app-id` reaches that
tenant's agents and not the primary's, and `/supervisor/?sdkAppId=` signs in to it."""

import json
import secrets
import urllib.request

import pytest

from conftest import Admin, CustomerPage, Server, unique, wait_until

OPERATOR_KEY = "op_" + secrets.token_urlsafe(24)
HOSTED = 1400077777


@pytest.fixture(scope="module")
def server():
    """Overrides conftest's server for this module (contexts use it): the operator API on."""
    running = Server(extra_args=("--operator-key", OPERATOR_KEY))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hosting(server):
    """One hosted tenant on it: (server, the primary's admin, the hosted one's)."""
    request = urllib.request.Request(
        server.base + "/api/operator/tenants", method="POST", data=json.dumps({"sdkAppId": HOSTED, "name": "Acme"}).encode(),
        headers={"Authorization": f"Bearer {OPERATOR_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        created = json.loads(response.read())
    return server, Admin(server.base), Admin(server.base, key=created["adminAPIKey"])


def page_with(context, server, name, html):
    path = f"/__test__/{name}.html"
    context.route(server.base + path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.goto(path)
    return page


def test_a_hosted_tenants_sdk_url_and_widget_meet_in_that_tenant(hosting, contexts):
    server, primary, hosted = hosting
    # The same ids in both tenants: only the hosted tenant's agent may hear this customer.
    group = unique("sales")
    agent = unique("agent")
    primary.group(id=group)
    hosted.group(id=group)
    primary.agent([group], id=agent)
    hosted.agent([group], id=agent, name="Acme agent")

    sdk_url = f"/sdk/tccc.js?sdkAppId={HOSTED}&token={hosted.token(agent)}&userid={agent}"
    agent_page = page_with(contexts(), server, "hosted-agent", f"""<!doctype html><meta charset="utf-8"><title>CRM</title><body>
<script>window.__calls = []; var s = document.createElement('script'); s.src = {json.dumps(sdk_url)};
s.onload = function () {{ TCCC.on('callIn', function (d) {{ window.__calls.push(d.sessionId); }}); }};
document.body.appendChild(s);</script></body>""")
    agent_page.wait_for_function("() => window.TCCC && TCCC.getState().userId")
    # The hosted tenant puts SDK logins online, as TCCC does.
    agent_page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    primary_page = page_with(contexts(), server, "primary-agent", f"""<!doctype html><meta charset="utf-8"><title>CRM</title><body>
<script src="/sdk/tccc.js" data-token="{primary.token(agent)}" data-userid="{agent}" data-ui="none"></script>
<script>window.__calls = []; TCCC.on('callIn', function (d) {{ window.__calls.push(d.sessionId); }});
TCCC.on('ready', function () {{ TCCC.Agent.online(); }});</script></body>""")
    primary_page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")

    shop = page_with(contexts(), server, "hosted-shop", f"""<!doctype html><meta charset="utf-8"><title>Shop</title><body>
<script src="/widget.js" data-skill-group="{group}" data-sdk-app-id="{HOSTED}"></script></body>""")
    shop.wait_for_function("() => window.SwitchboardChat")
    CustomerPage(shop).start("Ann")
    wait_until(lambda: agent_page.evaluate("() => window.__calls.length") == 1, "the hosted agent's callIn")
    assert primary_page.evaluate("() => window.__calls.length") == 0
    session_id = agent_page.evaluate("() => window.__calls[0]")
    assert hosted.session(session_id)["skillGroupId"] == group


def test_the_supervisor_page_signs_in_to_the_tenant_its_url_names(hosting, contexts):
    server, primary, hosted = hosting
    supervisor = hosted.supervisor(role="admin")
    hosted.agent([hosted.group()], name="Only at Acme")
    primary.agent([primary.group()], name="Only in the primary")
    page = contexts().new_page()
    page.goto(f"/supervisor/?sdkAppId={HOSTED}")
    page.get_by_label("User id", exact=True).fill(supervisor)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#dashboard").wait_for()
    page.locator("#agents").get_by_text("Only at Acme").wait_for()
    assert page.locator("#agents").get_by_text("Only in the primary").count() == 0
    # The cookie names the tenant: a reload without the parameter stays in it.
    page.goto("/supervisor/")
    page.locator("#agents").get_by_text("Only at Acme").wait_for()
