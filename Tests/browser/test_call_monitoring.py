"""Issue 15, supervisors on calls: listen in, whisper to the agent, barge in, stop (docs/calls.md,
"Listening in"). The agent's page is the hub: it sends the supervisor's page both sides of the
call and plays (whisper) or also mixes into the call (barge) what the supervisor says. Media is
checked by numbers: RTP bytes from getStats() on each page, and which track the call sends."""

from conftest import screenshot, wait_until
from test_calls import MIN_GROWTH, answered_call, customer_stats, inbound_growth, wait_for_media
from test_supervisor import sign_in


def monitor_stats(agent, session):
    return agent.call("(id) => TCCC.debug.monitorStats(id)", session)


def supervisor_stats(page):
    return page.evaluate("() => window.SupervisorCallMonitor.stats()")


def test_a_supervisor_listens_whispers_barges_in_and_stops(admin, agent_page, customer_page, contexts):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Mona", "Ned")
    agent.page.mouse.click(5, 5)  # the agent has used the page (barging mixes audio with WebAudio)

    page = sign_in(contexts, admin.supervisor("supervisor"), viewport={"width": 1366, "height": 900})
    listen = page.locator(f"#sessions tr[data-session='{session}']").get_by_role("button", name=f"Listen in on session {session}")
    listen.click()
    panel = page.get_by_role("region", name="Listening in")
    panel.get_by_text("Connected: you hear the customer and the agent.").wait_for(timeout=20000)

    # Listen: the supervisor receives both sides; the call sends the agent's microphone as before.
    wait_for_media(lambda: supervisor_stats(page))
    assert inbound_growth(lambda: supervisor_stats(page)) > MIN_GROWTH
    stats = monitor_stats(agent, session)
    assert stats["mode"] == "listen" and not stats["agentHears"] and not stats["callSendsBarge"], stats

    # Whisper: the agent hears the supervisor; the customer does not.
    panel.get_by_label("Whisper to the agent").check()
    wait_until(lambda: monitor_stats(agent, session)["agentHears"], "the agent hears the whisper")
    assert inbound_growth(lambda: monitor_stats(agent, session)) > MIN_GROWTH
    assert not monitor_stats(agent, session)["callSendsBarge"]

    # Barge in: what the call sends is the mix of the agent and the supervisor.
    panel.get_by_label("Barge in").check()
    wait_until(lambda: monitor_stats(agent, session)["callSendsBarge"], "the call sends the supervisor too")
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH, "the customer still hears"
    screenshot(page, "supervisor-listening-in")
    # A hold sends nothing; after it, the call sends the mix again.
    assert agent.call("(id) => TCCC.Call.hold({sessionId: id})", session) == {"status": "success"}
    assert agent.call("(id) => TCCC.Call.unHold({sessionId: id})", session) == {"status": "success"}
    wait_until(lambda: monitor_stats(agent, session)["callSendsBarge"], "the mix sent again after the hold")

    # Back to listening: the call sends the microphone alone again.
    panel.get_by_label("Listen", exact=True).check()
    wait_until(lambda: not monitor_stats(agent, session)["callSendsBarge"], "the microphone alone again")
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH

    # Stop: the agent's page drops the connection; the call goes on.
    panel.get_by_role("button", name="Stop listening").click()
    panel.get_by_text("You stopped listening.").wait_for()
    wait_until(lambda: monitor_stats(agent, session) is None, "the agent's page lets go")
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH


def test_the_supervisor_is_told_when_the_agents_page_lets_the_media_go(admin, agent_page, customer_page, contexts):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Quin", "Rae")
    page = sign_in(contexts, admin.supervisor("supervisor"))
    page.locator(f"#sessions tr[data-session='{session}']").get_by_role("button", name=f"Listen in on session {session}").click()
    panel = page.get_by_role("region", name="Listening in")
    wait_for_media(lambda: supervisor_stats(page))
    # The agent takes the call's media anew (as after a reload): the link to the supervisor goes.
    assert agent.call("(id) => TCCC.Call.reconnectMedia({sessionId: id})", session) == {"status": "success"}
    panel.get_by_text("The connection to the agent's page ended; press Listen again.").wait_for(timeout=45000)
    wait_for_media(lambda: customer_stats(customer))


def test_the_monitor_ends_with_the_call(admin, agent_page, customer_page, contexts):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Olga", "Pat")
    page = sign_in(contexts, admin.supervisor("supervisor"))
    page.locator(f"#sessions tr[data-session='{session}']").get_by_role("button", name=f"Listen in on session {session}").click()
    panel = page.get_by_role("region", name="Listening in")
    wait_for_media(lambda: supervisor_stats(page))
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    panel.get_by_text("Listening ended: the call ended or moved to another agent.").wait_for()
    assert monitor_stats(agent, session) is None
