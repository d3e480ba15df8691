"""tokenExpired with a short-lived token (the shortest the server issues: 60 s), then a new token
restarts the SDK where it left off."""

import time


def test_token_expires_and_a_new_token_restarts_the_sdk(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=0)
    user = admin.agent([group], name="Tia")
    issued = time.time()
    agent = agent_page(user, token=admin.token(user, lifetime=60))
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = customer.start("Uma")
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("() => TCCC.UI.showWorkbench()")

    remaining = 60 - (time.time() - issued)
    expired = agent.wait_event("tokenExpired", timeout=int((remaining + 15) * 1000))
    assert "expired" in expired["message"]
    assert time.time() - issued >= 59
    assert agent.call("() => TCCC.getState().connection") == "expired"
    agent.wb(".banner").get_by_text("login has expired").wait_for()
    answer = agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'too late'})", session)
    assert answer["status"] == "error" and "expired" in answer["errorMsg"]

    # Meanwhile the customer keeps writing; the agent's session is held for it.
    customer.send("are you still there?")
    customer.wait_text("are you still there?")

    answer = agent.call("(t) => TCCC.init({token: t})", admin.token(user))
    assert answer["status"] == "success" and answer["data"]["userId"] == user
    assert agent.count("ready") == 2
    frames = [f for f in agent.call("() => TCCC.debug.frames()") if f["type"] == "welcome"]
    assert frames[-1]["resumed"] is True
    agent.wait_event("message", {"sessionId": session, "text": "are you still there?"})
    assert agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Yes, sorry!'})", session)["status"] == "success"
    customer.wait_text("Yes, sorry!")
    assert agent.wb(".banner").is_hidden()


# A TCCC page loads the SDK by script tag and waits for ready or tokenExpired: whatever happens to
# the login, it hears one of them, with a message saying why (TCCC's listeners read `message`).
LISTENING_PAGE = """<!doctype html><meta charset="utf-8"><body>
<script src="/sdk/tccc.js" {token} data-userid="{user}" data-ui="none"></script>
<script>
  window.__heard = [];
  TCCC.on('ready', () => window.__heard.push({{name: 'ready'}}));
  TCCC.on('tokenExpired', (data) => window.__heard.push({{name: 'tokenExpired', message: data.message}}));
</script></body>"""


def open_listening(contexts, server, name, user, token_attribute):
    context = contexts()
    html = LISTENING_PAGE.format(token=token_attribute, user=user)
    context.route(server.base + f"/__test__/{name}.html", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.goto(f"/__test__/{name}.html")
    page.wait_for_function("() => window.__heard.length > 0")
    return page


def test_a_malformed_token_fires_token_expired_with_the_reason(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_listening(contexts, server, "malformed", user, 'data-token="not-a-token"')
    heard = page.evaluate("() => window.__heard")
    assert [h["name"] for h in heard] == ["tokenExpired"]
    assert "not valid" in heard[0]["message"]
    assert page.evaluate("() => TCCC.getState().connection") == "expired"


def test_an_empty_data_token_fires_token_expired_not_silence(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_listening(contexts, server, "empty", user, 'data-token=""')
    heard = page.evaluate("() => window.__heard")
    assert [h["name"] for h in heard] == ["tokenExpired"] and "data-token is empty" in heard[0]["message"]


def test_a_revoked_token_fires_token_expired_on_the_live_page(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_listening(contexts, server, "revoked", user, f'data-token="{admin.token(user)}"')
    assert page.evaluate("() => window.__heard") == [{"name": "ready"}]
    admin.request("POST", f"/api/v1/agents/{user}/tokens/revoke", None, expect=200)
    # The server closes the socket; the SDK reconnects with the revoked token and is refused.
    page.wait_for_function("() => window.__heard.length > 1", timeout=15000)
    heard = page.evaluate("() => window.__heard")
    assert heard[1]["name"] == "tokenExpired" and "revoked" in heard[1]["message"]


def test_a_listener_added_after_the_outcome_still_hears_it(admin, contexts, server):
    user = admin.agent([admin.group()])
    page = open_listening(contexts, server, "late", user, 'data-token="not-a-token"')
    late = page.evaluate("""() => new Promise(resolve => TCCC.on('tokenExpired', data => resolve(data)))""")
    assert "not valid" in late["message"]
