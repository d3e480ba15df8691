"""Voice, video and internal calls over WebRTC between chromium pages with fake devices.

Media is checked the way a person would notice it, but by numbers: the inbound RTP byte count of
each side (from getStats()) grows while the call is up, stops while it is on hold, and grows again.
"""

import time

import pytest

from conftest import sales_support_menu, screenshot, unique

GROW_WINDOW = 1.5   # seconds between two getStats() samples
MIN_GROWTH = 1000   # bytes of RTP a second and a half of fake audio easily exceeds
HOLD_SLACK = 400    # bytes that may still arrive after hold (packets in flight)


def agent_stats(agent, session):
    return agent.call("(id) => TCCC.debug.callStats(id)", session)


def customer_stats(customer):
    return customer.page.evaluate("() => window.SwitchboardChat.callStats()")


def inbound_growth(sample, key="inboundBytes"):
    """How many inbound bytes arrived over GROW_WINDOW."""
    before = sample()
    time.sleep(GROW_WINDOW)
    after = sample()
    assert before is not None and after is not None, "no media on this side"
    return after[key] - before[key]


def wait_for_media(sample, key="inboundBytes", timeout=20):
    """Waits until media is arriving: some inbound bytes, then growth."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        stats = sample()
        if stats and stats[key] > 0:
            return
        time.sleep(0.25)
    raise AssertionError(f"no inbound media within {timeout} s: {sample()}")


def media_flows_both_ways(one_side, other_side):
    """Media arrives at `one_side` and keeps arriving at both (the other side may have just restarted)."""
    wait_for_media(one_side)
    assert inbound_growth(one_side) > MIN_GROWTH
    time.sleep(0.5)  # the other side's first packets after a restart
    assert inbound_growth(other_side) > MIN_GROWTH


def start_call(customer, nickname, video=False):
    customer.w(".launcher").click()
    customer.w("input[name=nickname]").fill(nickname)
    customer.w(".video-call" if video else ".voice-call").click()
    customer.page.wait_for_function("() => window.SwitchboardChat.callState().sessionId")
    return customer.page.evaluate("() => window.SwitchboardChat.callState().sessionId")


def call_phase(customer):
    return customer.page.evaluate("() => window.SwitchboardChat.callState().phase")


def wait_phase(customer, phase, timeout=15000):
    customer.page.wait_for_function("(p) => window.SwitchboardChat.callState().phase === p", arg=phase, timeout=timeout)


def answered_call(admin, agent_page, customer_page, agent_name, caller_name):
    """An agent online in a fresh group, a customer's voice call it has answered, media arriving."""
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name=agent_name)
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, caller_name)
    agent.wait_event("callIn", {"sessionId": session})
    assert agent.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: customer_stats(customer))
    return agent, customer, session


def test_voice_call_carries_media_both_ways_hold_stops_it_and_the_customer_hangs_up(admin, agent_page, customer_page):
    group = admin.group(name="Support line", offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Vera")
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Walt")

    offer = agent.wait_event("callIn", {"sessionId": session})
    assert offer["type"] == "voip"
    assert offer["callee"] == "Support line" and offer["userId"] and offer["nickname"] == "Walt"
    wait_phase(customer, "ringing")

    # The agent answers in the workbench, as a person would.
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}'] .accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    wait_phase(customer, "connected")
    wait_for_media(lambda: agent_stats(agent, session))
    wait_for_media(lambda: customer_stats(customer))
    assert inbound_growth(lambda: agent_stats(agent, session)) > MIN_GROWTH
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    agent.wb(".callbar .call-label").get_by_text("Connected").wait_for()
    assert agent.wb(".callbar .call-clock").inner_text().startswith("0:")
    screenshot(agent.page, "workbench-voice-call")
    screenshot(customer.page, "widget-voice-call")

    # Hold from the workbench: neither side receives media; the customer is told.
    agent.wb(".callbar .hold").click()
    wait_phase(customer, "held")
    agent.wb(".callbar .hold[aria-pressed='true']").wait_for()
    screenshot(customer.page, "widget-call-on-hold")
    time.sleep(0.5)  # packets already in flight
    assert inbound_growth(lambda: customer_stats(customer)) <= HOLD_SLACK
    assert inbound_growth(lambda: agent_stats(agent, session)) <= HOLD_SLACK
    # Holding twice is harmless; unHold resumes media.
    assert agent.call("(id) => TCCC.Call.hold({sessionId: id})", session) == {"status": "success"}
    assert agent.call("(id) => TCCC.Call.unHold({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "connected")
    again = agent.call("(id) => TCCC.Call.unHold({sessionId: id})", session)
    assert again["status"] == "error" and "not on hold" in again["errorMsg"]
    time.sleep(0.5)
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    assert inbound_growth(lambda: agent_stats(agent, session)) > MIN_GROWTH

    # Mute is local: the flag flips and isMicMuted says so.
    agent.wb(".callbar .mute").click()
    assert agent.call("(id) => TCCC.Call.isMicMuted({sessionId: id})", session) is True
    agent.wb(".callbar .mute").click()
    assert agent.call("(id) => TCCC.Call.isMicMuted({sessionId: id})", session) is False

    # DTMF reaches the customer's page; bad digits are refused.
    assert agent.call("(id) => TCCC.Call.sendDigits({sessionId: id, dtmfText: '12#'})", session) == {"status": "success"}
    customer.w(".call .call-note").get_by_text("12#").wait_for()
    bad = agent.call("(id) => TCCC.Call.sendDigits({sessionId: id, dtmfText: '9x'})", session)
    assert bad["status"] == "error" and "'x'" in bad["errorMsg"]

    # The customer hangs up: both sides end, closeBy client, and the record has the call.
    customer.w(".call .hangup").click()
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "client" and ended["type"] == "voip"
    wait_phase(customer, "ended")
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    record = admin.session(session)
    assert record["type"] == "voip" and record["closeBy"] == "client"
    assert record["acceptedAt"] and record["endedAt"] and record["durationSeconds"] >= 3
    assert [h["kind"] for h in record["history"]][-1] == "ended"


def test_video_call_carries_video_and_the_agent_ends_it(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Vic")
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Wanda", video=True)
    offer = agent.wait_event("callIn", {"sessionId": session})
    assert offer["type"] == "video" and offer["userId"]
    # Chat.accept on a call works; Video.accept is the document's way.
    assert agent.call("(id) => TCCC.Video.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(agent, session), key="inboundVideoBytes")
    wait_for_media(lambda: customer_stats(customer), key="inboundVideoBytes")
    assert inbound_growth(lambda: agent_stats(agent, session), "inboundVideoBytes") > MIN_GROWTH
    assert inbound_growth(lambda: customer_stats(customer), "inboundVideoBytes") > MIN_GROWTH
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(".callbar video.remote").wait_for()
    time.sleep(0.5)
    screenshot(agent.page, "workbench-video-call")
    screenshot(customer.page, "widget-video-call")
    assert agent.call("(id) => TCCC.Video.muteVideo({sessionId: id})", session) == {"status": "success"}
    assert agent.call("(id) => TCCC.Video.end({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "ended")
    assert customer.page.evaluate("() => window.SwitchboardChat.callState().closeBy") == "seat"
    assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "seat"
    assert admin.session(session)["closeBy"] == "seat"


def test_a_missed_call_moves_to_a_second_agent_who_answers_and_gets_media(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=2)
    first_id = admin.agent([group], name="Fay")
    second_id = admin.agent([group], name="Gus")
    first, second = agent_page(first_id), agent_page(second_id)
    first.call("() => TCCC.Agent.online()")
    time.sleep(0.05)
    second.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Hal")
    first.wait_event("callIn", {"sessionId": session})
    first.wait_event("autoTransfer", {"sessionId": session}, timeout=8000)
    second.wait_event("callIn", {"sessionId": session})
    assert second.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(second, session))
    wait_for_media(lambda: customer_stats(customer))
    assert inbound_growth(lambda: agent_stats(second, session)) > MIN_GROWTH
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    assert first.call("(id) => TCCC.debug.callStats(id)", session) is None
    # The agent hangs up: closeBy seat on both sides.
    assert second.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "ended")
    assert customer.page.evaluate("() => window.SwitchboardChat.callState().closeBy") == "seat"


def test_an_internal_call_between_two_agents_carries_media(admin, agent_page):
    group = admin.group(offerTimeoutSeconds=20)
    caller_id = admin.agent([group], name="Ida")
    callee_id = admin.agent([group], name="Jon")
    caller, callee = agent_page(caller_id), agent_page(callee_id)
    callee.call("() => TCCC.Agent.online()")
    caller.call("() => TCCC.Agent.online()")

    # From the workbench's dialer, as a person would.
    caller.call("() => TCCC.UI.showWorkbench()")
    caller.wb(".dialer .dial-target").fill(callee_id)
    caller.wb(".dialer .dial").click()
    placed = caller.wait_event("callOuted")
    session = placed["sessionId"]
    assert placed["calleeUserId"] == callee_id and placed["type"] == "internal"
    offer = callee.wait_event("callIn", {"sessionId": session})
    assert offer["type"] == "internal" and offer["peerUserId"] == caller_id
    caller.wb(".callbar .call-label").get_by_text("Calling").wait_for()

    assert callee.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    caller.wait_event("calloutAccepted", {"sessionId": session})
    wait_for_media(lambda: agent_stats(caller, session))
    wait_for_media(lambda: agent_stats(callee, session))
    assert inbound_growth(lambda: agent_stats(caller, session)) > MIN_GROWTH
    assert inbound_growth(lambda: agent_stats(callee, session)) > MIN_GROWTH

    # The caller's page reloads: its welcome lists the answered call it placed; it takes the
    # media back, offers again, and the callee's side starts over.
    caller.page.reload()
    caller.wait_event("ready")
    placed_again = caller.call("() => TCCC.getState().sessions")
    assert [(c["sessionId"], c["state"], c["direction"]) for c in placed_again] == [(session, "accepted", "out")]
    assert caller.call("(id) => TCCC.Call.reconnectMedia({sessionId: id})", session) == {"status": "success"}
    media_flows_both_ways(lambda: agent_stats(caller, session), lambda: agent_stats(callee, session))

    # The caller hangs up: the callee hears closeBy client; both sides' media stop.
    assert caller.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    assert callee.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"
    assert caller.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"
    assert callee.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert admin.session(session)["customer"]["peerUserId"] == caller_id


def test_call_methods_refuse_what_does_not_fit(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Kim")
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")
    outbound = agent.call("() => TCCC.Call.startOutboundCall({phoneNumber: '+15550100'})")
    # This suite's server has no phone channel (test_phone.py starts one that has).
    assert outbound["status"] == "error" and ("no phone trunk" in outbound["errorMsg"]
                                              or "phone calls are not set up" in outbound["errorMsg"]), outbound
    missing = agent.call("() => TCCC.Call.startInternalCall({})")
    assert missing["status"] == "error" and "calleeUserId" in missing["errorMsg"]
    self_call = agent.call("(me) => TCCC.Call.startInternalCall({calleeUserId: me})", agent_id)
    assert self_call["status"] == "error" and "itself" in self_call["errorMsg"]

    # Call.accept on a chat says to use the Chat methods, and changes nothing.
    customer = customer_page(group)
    chat = customer.start("Lou")
    agent.wait_event("callIn", {"sessionId": chat})
    wrong = agent.call("(id) => TCCC.Call.accept({sessionId: id})", chat)
    assert wrong["status"] == "error" and "Chat methods" in wrong["errorMsg"]
    assert agent.call("() => TCCC.getState().sessions")[0]["state"] == "ringing"
    held = agent.call("(id) => TCCC.Call.hold({sessionId: id})", chat)
    assert held["status"] == "error"


def test_the_device_pickers_switch_the_microphone_and_speaker_of_a_live_call(admin, agent_page, customer_page):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Max", "Ned")
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.page.wait_for_function(
        "() => document.querySelector('tccc-workbench').shadowRoot.querySelectorAll('.mic-select option').length > 1")
    microphones = agent.call("() => TCCC.Devices.getMicrophones()")
    choice = [m for m in microphones if m["deviceId"] not in ("", "default")][-1]["deviceId"]
    agent.wb(".mic-select").select_option(choice)
    agent.wb(".toast").get_by_text("Microphone switched").wait_for()
    assert agent.call("() => TCCC.Devices.getChosen()")["microphoneId"] == choice
    # The customer still hears the agent after the switch.
    time.sleep(0.5)
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH

    # The speaker picker moves the call's audio to another output.
    speakers = agent.call("() => TCCC.Devices.getSpeakers()")
    output = [d for d in speakers if d["deviceId"] not in ("", "default")][-1]["deviceId"]
    agent.wb(".speaker-select").select_option(output)
    agent.wb(".toast").get_by_text("Speaker switched").wait_for()
    assert agent.call("(id) => TCCC._call(id).audio.sinkId", session) == output
    assert agent.call("() => TCCC.Devices.getChosen()")["speakerId"] == output
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}


def test_an_agent_who_reloads_mid_call_takes_the_media_back(admin, agent_page, customer_page):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Ona", "Pia")

    # The agent's page reloads: the call is still held, but this tab has no media for it.
    agent.page.reload()
    agent.wait_event("ready")
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(".sessions-list button.session").first.click()
    agent.wb(".callbar .call-label").get_by_text("Answered in another tab").wait_for()
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    agent.wb(".callbar .take-over").click()
    media_flows_both_ways(lambda: agent_stats(agent, session), lambda: customer_stats(customer))
    agent.wb(".callbar .take-over").wait_for(state="hidden")
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "ended")


def test_a_transferred_call_carries_media_with_the_new_agent(admin, agent_page, customer_page):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Quinn", "Ray")
    second_id = admin.agent([], name="Sid")
    second = agent_page(second_id)
    second.call("() => TCCC.Agent.online()")
    answer = agent.call("([id, to]) => TCCC.Call.transfer({sessionId: id, userId: to})", [session, second_id])
    assert answer == {"status": "success"}
    agent.wait_event("transfer", {"sessionId": session})
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    second.wait_event("callIn", {"sessionId": session})
    assert second.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "connected")
    assert customer.page.evaluate("() => window.SwitchboardChat.callState().agent") == "Sid"
    media_flows_both_ways(lambda: agent_stats(second, session), lambda: customer_stats(customer))
    assert second.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}


def test_the_widget_reattaches_a_call_whose_socket_dropped(admin, agent_page, customer_page):
    agent, customer, session = answered_call(admin, agent_page, customer_page, "Tess", "Uma")
    customer.page.evaluate("() => window.SwitchboardChat.dropCallSocket()")
    customer.w(".call .call-note").get_by_text("Reconnecting").wait_for()
    customer.page.wait_for_function("() => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.call-note').textContent")
    assert call_phase(customer) == "connected"
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    # The reattached socket carries the end: the agent hangs up, the customer hears it.
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    wait_phase(customer, "ended")
    assert customer.page.evaluate("() => window.SwitchboardChat.callState().closeBy") == "seat"


def test_accept_in_two_tabs_leaves_the_media_in_one(admin, agent_page, customer_page, contexts):
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Vi")
    context = contexts()
    first = agent_page(agent_id, context=context)
    second = agent_page(agent_id, context=context)
    first.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Wes")
    first.wait_event("callIn", {"sessionId": session})
    second.wait_event("callIn", {"sessionId": session})
    assert first.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    assert second.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(second, session))
    assert first.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert inbound_growth(lambda: agent_stats(second, session)) > MIN_GROWTH
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    # Take the call back in the first tab: the second lets go.
    assert first.call("(id) => TCCC.Call.reconnectMedia({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(first, session))
    assert second.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert inbound_growth(lambda: agent_stats(first, session)) > MIN_GROWTH
    time.sleep(0.5)
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    assert first.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}


class LaggingSocket:
    """Routes a page's agent socket through the test and holds back some of the server's frames
    from the first `userAccessed` on, until the page sends its `Call.accept`:
    - "answer": that event and every later frame: the page accepts before it heard that another
      tab of the agent answered, and gets the caller's offer late;
    - "offer": the signals only (they are not numbered; events are, and a gap makes the SDK
      resume): the page knows of the answer, but the caller's first offer reaches it late."""

    def __init__(self, holding):
        self.holding = holding
        self.state = "waiting"  # then "holding" from the first userAccessed, "released" at Call.accept
        self.held = []

    def route(self, page):
        page.route_web_socket("**/ws/agent**", self.connect)

    def connect(self, ws):
        server = ws.connect_to_server()

        def to_server(message):
            server.send(message)
            if self.state == "holding" and '"Call.accept"' in str(message):
                self.state = "released"
                for frame in self.held:
                    ws.send(frame)
                self.held = []

        def to_page(message):
            text = str(message)
            if self.state == "waiting" and '"userAccessed"' in text:
                self.state = "holding"
                if self.holding == "answer":
                    self.held.append(message)
                    return
            elif self.state == "holding" and (self.holding == "answer" or '"type":"signal"' in text):
                self.held.append(message)
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)


@pytest.mark.parametrize("holding", ["answer", "offer"])
def test_accept_in_a_second_tab_on_a_slow_socket(admin, agent_page, customer_page, contexts, holding):
    """The first tab answered the caller's only offer; the second accepts on a slow socket. Having
    not heard of the answer, it takes the spent offer late (the first tab tells it the offer is
    spent); having heard, it asks for a new offer and ignores the old one arriving late. Either
    way the caller offers again and the media ends in the second tab."""
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Vic")
    context = contexts()
    lagging = LaggingSocket(holding)
    first = agent_page(agent_id, context=context)
    second = agent_page(agent_id, context=context, prepare=lagging.route)
    first.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Wyn")
    first.wait_event("callIn", {"sessionId": session})
    second.wait_event("callIn", {"sessionId": session})
    assert first.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(first, session))
    assert lagging.state == "holding" and lagging.held, "the second tab's socket held nothing back"
    if holding == "offer":
        second.wait_event("userAccessed", {"sessionId": session})
    assert second.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(second, session))
    assert first.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert inbound_growth(lambda: agent_stats(second, session)) > MIN_GROWTH
    assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
    assert second.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}


def test_a_transferred_internal_call_gets_media_with_the_new_agent(admin, agent_page):
    group = admin.group(offerTimeoutSeconds=20)
    caller_id, middle_id, last_id = (admin.agent([group], name=n) for n in ("Xia", "Yul", "Zed"))
    caller, middle, last = agent_page(caller_id), agent_page(middle_id), agent_page(last_id)
    for agent in (middle, last, caller):
        agent.call("() => TCCC.Agent.online()")
    placed = caller.call("(to) => TCCC.Call.startInternalCall({calleeUserId: to})", middle_id)
    session = placed["data"]["sessionId"]
    middle.wait_event("callIn", {"sessionId": session})
    assert middle.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: agent_stats(caller, session))
    answer = middle.call("([id, to]) => TCCC.Call.transfer({sessionId: id, userId: to})", [session, last_id])
    assert answer == {"status": "success"}
    last.wait_event("callIn", {"sessionId": session})
    assert last.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    media_flows_both_ways(lambda: agent_stats(last, session), lambda: agent_stats(caller, session))
    assert caller.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    assert last.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"


def test_a_voice_call_through_an_ivr_flow_plays_the_menu_and_the_keypad_chooses_the_group(admin, agent_page, customer_page):
    """Issue 18: web calls through the same flows as phone calls. The widget (data-ivr-flow) plays
    the prompt espeak-ng spoke, its keypad sends the key, and the call queues in the chosen group
    with the choice as its callIn's ivrPath."""
    sales, support, flow = sales_support_menu(admin)
    agent_id = admin.agent([support], name="Ida")
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")

    customer = customer_page(sales, attrs=f'data-ivr-flow="{flow}"')
    prompts = []
    customer.page.on("response", lambda response: prompts.append(response.status) if "/ivr-prompts/" in response.url else None)
    customer.w(".launcher").click()
    customer.w("input[name=nickname]").fill("Olga")
    customer.w(".voice-call").click()
    wait_phase(customer, "menu")
    customer.w(".ivr-words").get_by_text("Press 1 for sales, 2 for support.").wait_for()
    deadline = time.time() + 10
    while not prompts and time.time() < deadline:
        customer.page.wait_for_timeout(100)
    assert prompts and prompts[0] in (200, 206), f"the prompt's audio was fetched (whole or the range chromium asks for): {prompts}"
    assert customer.w(".hangup").is_visible(), "the caller can hang up in the menu"
    screenshot(customer.page, "widget-ivr-menu")

    customer.w(".ivr-keys button[data-key='2']").click()
    offer = agent.wait_event("callIn", {"type": "voip"})
    assert offer["ivrPath"] == [{"key": "2", "label": "support"}] and offer["callee"] == "Help line", offer
    # The caller's page leaves the menu on its `started`, which the same commit sends as the
    # agent's callIn, over another socket to another page: either may be seen first.
    customer.w(".ivr-menu").wait_for(state="hidden", timeout=5000)
    session = offer["sessionId"]
    assert customer.page.evaluate("() => window.SwitchboardChat.callState().sessionId") == session
    record = admin.session(session)
    assert record["skillGroupId"] == support and record["digits"] == "2" and record["priority"] == 2

    # Answered as any call: media both ways.
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}'] .accept").click()
    wait_phase(customer, "connected")
    wait_for_media(lambda: customer_stats(customer))
    customer.w(".hangup").click()
    agent.wait_event("sessionEnded", {"sessionId": session})
    assert customer.page.evaluate("() => window.__errors || []") == []
