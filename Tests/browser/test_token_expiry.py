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
    assert agent.wait_event("tokenExpired", timeout=int((remaining + 15) * 1000)) == {}
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
