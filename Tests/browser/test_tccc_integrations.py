"""The SDK loaded and driven the ways public TCCC integrations do (issue 20): the SdkURL (login in
the script URL's query string), listeners attached in the script's load handler, calls before
`ready`, the script injected again, its root element removed, and the rest of TCCC's surface."""

import json

import pytest

# A page with no SDK: each test injects it the way an integration does.
BLANK = """<!doctype html><meta charset="utf-8"><title>Integration</title><body><h1>CRM</h1>
<script>
  window.__log = [];
  window.inject = function (src, attrs) {
    return new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error('no ready within 10 s; log: ' + JSON.stringify(window.__log))); }, 10000);
      var s = document.createElement('script');
      Object.keys(attrs || {}).forEach(function (k) { s.setAttribute(k, attrs[k]); });
      s.onload = function () {
        window.__log.push('load');
        var before = {};
        try { before.hide = TCCC.UI.hidefloatButton(); before.status = TCCC.Agent.getStatus(); }
        catch (e) { before.threw = String(e); }
        window.__log.push({before: before});
        TCCC.on('ready', function () {
          window.__log.push({ready: TCCC.Agent.getStatus()});
          resolve();
        });
      };
      s.src = src;
      document.body.appendChild(s);
    });
  };
</script></body>"""


@pytest.fixture(autouse=True)
def tccc_logins(admin):
    """These tests integrate the SDK as TCCC code does, with TCCC's default: an SDK login puts the
    agent online (the suite's server keeps agents offline for the other tests)."""
    admin.request("PUT", "/api/v1/configuration", {"onlineAtLogin": True}, expect=200)
    yield
    admin.request("PUT", "/api/v1/configuration", {"onlineAtLogin": False}, expect=200)


def open_blank(contexts, server, name):
    context = contexts()
    context.route(server.base + f"/__test__/{name}.html",
                  lambda route: route.fulfill(status=200, content_type="text/html", body=BLANK))
    page = context.new_page()
    page.goto(f"/__test__/{name}.html")
    return page


def sdk_url(admin, user, token=None):
    return f"/sdk/tccc.js?sdkAppId=1400001&token={token or admin.token(user)}&userid={user}"


def sockets(page):
    return page.evaluate("() => TCCC.debug.frames().filter(f => f.type === 'welcome').length")


def test_sdk_url_only_logs_in(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "sdkurl-only")
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    assert page.evaluate("() => TCCC.getState().userId") == user
    log = page.evaluate("() => window.__log")
    assert log[0] == "load" and "ready" in log[-1]
    # As TCCC's: the SDK login put the agent online, so integrations that auto-dial see `free` in `ready`.
    assert log[-1]["ready"] == "free", log


def test_sdk_url_query_wins_over_data_attributes(admin, contexts, server):
    user = admin.agent([admin.group()])
    other = admin.agent([admin.group()])
    page = open_blank(contexts, server, "sdkurl-wins")
    page.evaluate("([src, other]) => inject(src, {'data-userid': other, 'data-token': 'not-a-token', 'data-ui': 'none'})",
                  [sdk_url(admin, user), other])
    assert page.evaluate("() => TCCC.getState().userId") == user


def test_ready_after_load_and_namespaces_safe_before_ready(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "before-ready")
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    log = page.evaluate("() => window.__log")
    assert log[0] == "load"
    assert "threw" not in log[1]["before"], log
    assert log[1]["before"]["status"] == "offline"
    # The float button stays hidden: hidefloatButton before ready was not lost.
    assert page.evaluate("() => TCCC.getState().ui.button") is False
    # A call made inside the ready callback works.
    answer = page.evaluate("""() => new Promise((r, j) => { setTimeout(() => j(new Error('no ready')), 5000);
                                                         TCCC.on('ready', () => TCCC.Agent.online().then(r)); })""")
    assert answer["status"] == "success"
    # A late listener hears ready once.
    count = page.evaluate("""() => new Promise(r => { let n = 0; TCCC.on('ready', () => n++);
                                                       setTimeout(() => r(n), 300); })""")
    assert count == 1


def test_injected_twice_one_socket_and_ready_for_new_listeners(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "twice")
    url = sdk_url(admin, user)
    page.evaluate("(src) => inject(src)", url)
    page.evaluate("(src) => inject(src)", url)   # resolves only if ready fires for the new listener
    page.wait_for_timeout(300)
    assert sockets(page) == 1
    assert page.evaluate("() => document.querySelectorAll('t3c-sdk#tcccSdkDomRoot').length") == 1


def test_root_removed_then_injected_again(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "teardown")
    url = sdk_url(admin, user)
    page.evaluate("(src) => inject(src)", url)
    page.wait_for_function("() => document.querySelector('#tcccSdkDomRoot tccc-workbench')")
    page.evaluate("() => { document.getElementById('tcccSdkDomRoot').remove(); document.querySelectorAll('script[src*=\"tccc.js\"]').forEach(s => s.remove()); }")
    assert page.evaluate("() => TCCC.Agent.getStatus()") == "free"  # the first SDK login put it online
    page.evaluate("(src) => inject(src)", url)
    page.wait_for_function("() => document.querySelector('#tcccSdkDomRoot tccc-workbench')")
    assert page.evaluate("() => document.querySelectorAll('tccc-workbench').length") == 1
    assert sockets(page) == 1
    assert page.evaluate("() => TCCC.UI.showWorkbench()") is None


def test_duplicate_listeners_are_deduplicated_and_off_removes(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "dupes")
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    heard = page.evaluate("""async () => {
        const seen = [];
        const fn = (d) => seen.push(d.status);
        for (let i = 0; i < 5; i++) TCCC.on('statusChanged', fn);
        await TCCC.Agent.setStatus({status: 'notReady'});   // the SDK login made it free
        await new Promise(r => setTimeout(r, 300));
        TCCC.off('statusChanged', fn);
        await TCCC.Agent.offline();
        await new Promise(r => setTimeout(r, 300));
        return seen;
    }""")
    assert heard == ["notReady"]


def test_admin_get_skill_groups(admin, contexts, server):
    group = admin.group(name="Billing desk")
    user = admin.agent([group])
    page = open_blank(contexts, server, "skillgroups")
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    answer = page.evaluate("() => tccc.Admin.getSkillGroups()")
    assert answer["status"] == "success"
    assert {"skillGroupName": "Billing desk", "skillGroupId": group} in answer["data"]
    assert all(set(g) == {"skillGroupName", "skillGroupId"} for g in answer["data"])


def test_internal_call_use_mobile_refused_and_delete_call(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "internal")
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    answer = page.evaluate("() => TCCC.Call.startInternalCall({calleeUserId: 'someone', useMobile: true})")
    assert answer["status"] == "error" and "useMobile" in answer["errorMsg"]
    answer = page.evaluate("() => TCCC.Call.deleteCall()")
    assert answer["status"] == "error" and "sessionId" in answer["errorMsg"]
    answer = page.evaluate("() => TCCC.Call.deleteCall({sessionId: 'nope'})")
    assert answer["status"] == "error" and "nope" in answer["errorMsg"]
    # overrideButtonConfig works as integrations call it (test_button_config.py has the rest).
    answer = page.evaluate("() => tccc.overrideButtonConfig(config => config)")
    assert answer == {"status": "success"}


def test_injected_again_with_a_new_token_after_a_refused_login(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_blank(contexts, server, "relogin")
    page.evaluate("""(src) => new Promise((resolve) => {
        const s = document.createElement('script');
        s.onload = () => TCCC.on('tokenExpired', resolve);
        s.src = src; document.body.appendChild(s); })""", sdk_url(admin, user, token="not-a-token"))
    assert page.evaluate("() => TCCC.getState().connection") == "expired"
    page.evaluate("(src) => inject(src)", sdk_url(admin, user))
    assert page.evaluate("() => TCCC.getState().connection") == "ready"
    assert page.evaluate("() => TCCC.getState().userId") == user


def test_a_tenant_may_keep_sdk_logins_offline_until_agent_online(admin, contexts, server):
    """onlineAtLogin: false (PUT /api/v1/configuration) keeps Switchboard's earlier behaviour."""
    admin.request("PUT", "/api/v1/configuration", {"onlineAtLogin": False}, expect=200)
    try:
        user = admin.agent([admin.group()])
        page = open_blank(contexts, server, "kept-offline")
        page.evaluate("(src) => inject(src)", sdk_url(admin, user))
        assert page.evaluate("() => window.__log")[-1] == {"ready": "offline"}
        assert page.evaluate("() => TCCC.Agent.online()")["status"] == "success"
        assert page.evaluate("() => TCCC.Agent.getStatus()") == "free"
    finally:
        admin.request("PUT", "/api/v1/configuration", {"onlineAtLogin": True}, expect=200)
