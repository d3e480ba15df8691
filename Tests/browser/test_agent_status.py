"""The SDK as a page loads it (script tag with data-token): globals, ready, Agent.*, statusChanged,
errors as CommonSDKResponse, on/off."""

from conftest import unique


def test_script_tag_login_exposes_tccc_and_fires_ready(admin, agent_page):
    group = admin.group()
    user = admin.agent([group], name="Grace Hopper")
    agent = agent_page(user)

    shape = agent.call("""() => ({
        same: window.TCCC === window.tccc,
        namespaces: ['Chat', 'Call', 'Video', 'Agent', 'Devices', 'UI'].filter(n => typeof TCCC[n] === 'object'),
        chat: Object.keys(TCCC.Chat).sort(),
        agent: Object.keys(TCCC.Agent).sort(),
        devices: Object.keys(TCCC.Devices).sort(),
        ui: Object.keys(TCCC.UI).sort(),
        events: TCCC.events,
        on: typeof TCCC.on, off: typeof TCCC.off,
        state: TCCC.getState()
    })""")
    assert shape["same"] is True
    assert shape["namespaces"] == ["Chat", "Call", "Video", "Agent", "Devices", "UI"]
    assert {"accept", "end", "transfer", "sendMessage", "getMessages"} <= set(shape["chat"])
    assert {"online", "offline", "setStatus", "getStatus"} <= set(shape["agent"])
    assert shape["devices"] == ["getCameras", "getChosen", "getMicrophones", "getSpeakers", "isBrowserSupported",
                                "setCamera", "setMicrophone", "setSpeaker"]
    assert shape["ui"] == sorted(["hide", "show", "showfloatButton", "hidefloatButton", "showWorkbench", "hideWorkbench"])
    assert shape["events"] == {name: name for name in [
        "ready", "callIn", "userAccessed", "autoTransfer", "sessionEnded", "transfer", "statusChanged",
        "sessionCompleted", "tokenExpired", "message", "callOuted", "calloutAccepted", "digitsReceived"]}
    assert shape["on"] == shape["off"] == "function"
    assert shape["state"]["userId"] == user and shape["state"]["name"] == "Grace Hopper"
    assert shape["state"]["connection"] == "ready"
    assert agent.names() == ["ready"]
    # Before Agent.online() the agent is offline, synchronously, from SDK state.
    assert agent.call("() => TCCC.Agent.getStatus()") == "offline"


def test_online_set_status_get_status_and_offline(admin, agent_page):
    group = admin.group()
    user = admin.agent([group])
    agent = agent_page(user)

    assert agent.call("() => TCCC.Agent.online()") == {"status": "success"}
    assert agent.wait_event("statusChanged", {"status": "free"})["cause"] == "agent"
    assert agent.call("() => TCCC.Agent.getStatus()") == "free"

    answer = agent.call("() => TCCC.Agent.setStatus({status: 'rest', restReason: 'lunch'})")
    assert answer == {"status": "success"}
    # The server sends the events a request causes before its response: the state is already there.
    assert agent.call("() => TCCC.Agent.getStatus()") == "rest"
    assert agent.events("statusChanged")[-1] == {"status": "rest", "restReason": "lunch", "cause": "agent"}
    assert agent.call("() => TCCC.Agent.queryStatus()") == {"status": "success", "data": {"status": "rest", "restReason": "lunch"}}

    # The document's spellings, any letter case.
    for status, expected in [("NotReady", "notReady"), ("StopNotReady", "free"), ("Arrange", "arrange"), ("free", "free")]:
        answer = agent.call("(s) => TCCC.Agent.setStatus({status: s})", status)
        assert answer == {"status": "success"}, (status, answer)
        assert agent.call("() => TCCC.Agent.getStatus()") == expected
        assert agent.events("statusChanged")[-1]["status"] == expected

    assert admin.get(f"/api/v1/agents/{user}")["status"] == "free"
    assert agent.call("() => TCCC.Agent.offline()") == {"status": "success"}
    assert agent.wait_event("statusChanged", {"status": "offline"})
    assert agent.call("() => TCCC.Agent.getStatus()") == "offline"
    assert admin.get(f"/api/v1/agents/{user}")["status"] == "offline"


def test_refusals_resolve_as_error_responses_and_never_reject(admin, agent_page):
    group = admin.group()
    user = admin.agent([group])
    agent = agent_page(user)

    # Before online: the server says why.
    answer = agent.call("() => TCCC.Agent.setStatus({status: 'rest'})")
    assert answer["status"] == "error" and "offline" in answer["errorMsg"]
    agent.call("() => TCCC.Agent.online()")

    calls = {
        "accept unknown": "() => TCCC.Chat.accept({sessionId: 's-does-not-exist'})",
        "end unknown": "() => TCCC.Chat.end({sessionId: 's-does-not-exist'})",
        "transfer unknown": "() => TCCC.Chat.transfer({sessionId: 's-does-not-exist', userId: 'nobody'})",
        "send unknown": "() => TCCC.Chat.sendMessage({sessionId: 's-does-not-exist', text: 'hi'})",
        "messages unknown": "() => TCCC.Chat.getMessages({sessionId: 's-does-not-exist'})",
        "busy by hand": "() => TCCC.Agent.setStatus({status: 'busy'})",
        "nonsense status": "() => TCCC.Agent.setStatus({status: 'dancing'})",
        # Checked by the SDK before anything is sent:
        "no options": "() => TCCC.Chat.accept()",
        "empty session": "() => TCCC.Chat.end({sessionId: ''})",
        "transfer without target": "() => TCCC.Chat.transfer({sessionId: 's-1', skillGroupId: '', userId: ''})",
        "empty text": "() => TCCC.Chat.sendMessage({sessionId: 's-1', text: ''})",
        "no status": "() => TCCC.Agent.setStatus({})",
    }
    for name, call in calls.items():
        answer = agent.call(call)
        assert answer["status"] == "error", (name, answer)
        assert isinstance(answer["errorMsg"], str) and len(answer["errorMsg"]) > 5, (name, answer)
        assert set(answer) == {"status", "errorMsg"}, (name, answer)

    # A wrong limit reaches the server and comes back as its message.
    answer = agent.call("() => TCCC.Chat.getMessages({sessionId: 's-1', limit: 0})")
    assert answer["status"] == "error" and "limit" in answer["errorMsg"]
    assert agent.call("() => TCCC.Chat.accept({sessionId: 's-does-not-exist'})")["errorMsg"]
    assert agent.call("() => window.__errors") == []
    # The refusals changed nothing.
    assert agent.call("() => TCCC.Agent.getStatus()") == "free"


def test_on_and_off(admin, agent_page):
    group = admin.group()
    user = admin.agent([group])
    agent = agent_page(user)
    agent.call("""() => {
        window.__seen = {a: 0, b: 0, byConstant: 0, thrower: 0};
        window.__a = () => window.__seen.a++;
        window.__b = () => window.__seen.b++;
        TCCC.on('statusChanged', () => { window.__seen.thrower++; throw new Error('a broken listener'); });
        TCCC.on('statusChanged', window.__a);
        TCCC.on('statusChanged', window.__b);
        TCCC.on(TCCC.events.statusChanged, () => window.__seen.byConstant++);
    }""")
    agent.call("() => TCCC.Agent.online()")
    assert agent.call("() => window.__seen") == {"a": 1, "b": 1, "byConstant": 1, "thrower": 1}

    agent.call("() => TCCC.off('statusChanged', window.__a)")
    agent.call("() => TCCC.Agent.setStatus({status: 'notReady'})")
    assert agent.call("() => window.__seen") == {"a": 1, "b": 2, "byConstant": 2, "thrower": 2}

    # off without a callback removes every listener of that event (the recorder's too).
    agent.call("() => TCCC.off(TCCC.events.statusChanged)")
    agent.call("() => TCCC.Agent.setStatus({status: 'free'})")
    assert agent.call("() => window.__seen") == {"a": 1, "b": 2, "byConstant": 2, "thrower": 2}
    assert agent.call("() => TCCC.Agent.getStatus()") == "free"


def test_calls_made_before_ready_wait_for_it(admin, contexts, server):
    group = admin.group()
    user = admin.agent([group])
    token = admin.token(user)
    html = f"""<!doctype html><meta charset="utf-8"><body>
    <script src="/sdk/tccc.js" data-token="{token}" data-userid="{user}" data-ui="none"></script>
    <script>
      window.__order = [];
      TCCC.on('ready', () => window.__order.push('ready'));
      // Called at once, long before the socket is open.
      window.__early = TCCC.Agent.online().then(r => {{ window.__order.push('online'); return r; }});
      window.__status = TCCC.Agent.getStatus();
    </script></body>"""
    context = contexts()
    context.route(server.base + "/__test__/early.html", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.goto("/__test__/early.html")
    assert page.evaluate("() => window.__early") == {"status": "success"}
    assert page.evaluate("() => window.__order") == ["ready", "online"]
    assert page.evaluate("() => window.__status") == "offline"
    assert page.evaluate("() => TCCC.Agent.getStatus()") == "free"
    # data-ui="none": no workbench on this page.
    assert page.locator("tccc-workbench").count() == 0


def test_wrong_token_resolves_init_with_the_reason(admin, contexts, server):
    context = contexts()
    html = """<!doctype html><meta charset="utf-8"><body><script src="/sdk/tccc.js" data-ui="none"></script></body>"""
    context.route(server.base + "/__test__/bad.html", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.goto("/__test__/bad.html")
    answer = page.evaluate("() => TCCC.init({token: 'not-a-token'})")
    assert answer["status"] == "error" and "token" in answer["errorMsg"]
    # Calls after a refused login fail at once with the reason instead of waiting.
    answer = page.evaluate("() => TCCC.Agent.online()")
    assert answer["status"] == "error" and "not logged in" in answer["errorMsg"]
    # A refused token is tokenExpired for the page (it needs a new token), not a wrong password.
    assert page.evaluate("() => TCCC.getState().connection") == "expired"

    user = admin.agent([admin.group()])
    answer = page.evaluate("(u) => TCCC.init({userId: u, password: 'wrong password'})", user)
    assert answer == {"status": "error", "errorMsg": "wrong user id or password"}
    answer = page.evaluate("(u) => TCCC.init({userId: u, password: 'correct horse battery'})", user)
    assert answer["status"] == "success" and answer["data"]["userId"] == user
