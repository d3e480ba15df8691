"""Telephone calls through a SIP trunk: the fake carrier (carrier.py) on one side, the agent's
workbench in chromium on the other, the server and its rtpengine in between (docs/calls.md).

The module starts its own server with the phone channel on (SIP and rtpengine on 127.0.0.1 only)
and its own carrier, and stops both at the end; the server's rtpengine must be gone with it.

Audio is checked by numbers at both ends: the agent's inbound RTP bytes (getStats()) and the
packets the carrier received that carry sound above line noise (`rtp_received.audible`). Chromium's
fake microphone beeps; the carrier sends a 440 Hz tone.
"""

import os
import re
import socket
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from carrier import Answer, Busy, Carrier, Challenge
from conftest import API_KEY, Admin, Server, sales_support_menu, screenshot, unique, wait_until

TRUNK_USER = "switchboard-trunk"
TRUNK_PASSWORD = "carrier-secret-4711"
CALLER = "+4917012345"
PHONE_DEBUG = ["--log-level", os.environ["PHONE_LOG_LEVEL"]] if os.environ.get("PHONE_LOG_LEVEL") else []

GROW_WINDOW = 1.5   # seconds between two samples
MIN_GROWTH = 1000   # bytes of RTP the agent receives in 1.5 s of the carrier's tone, easily
MIN_AUDIBLE = 5     # audible packets the carrier receives in 1.5 s of a beeping microphone
HOLD_SLACK = 400    # bytes the browser may still send after hold (packets in flight)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is gone for our purposes (its parent has not reaped it yet).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class PhoneServer(Server):
    """A server with the phone channel on: SIP on 127.0.0.1, the carrier as its trunk."""

    def __init__(self, carrier):
        self.sip_port = free_udp_port()
        secrets = Path(tempfile.mkdtemp(prefix="switchboard-trunk-"))
        password_file = secrets / "trunk-password"
        password_file.write_text(TRUNK_PASSWORD)
        # Ports of its own per run, so two suites on one machine do not fight over rtpengine's ports.
        low = 31000 + (os.getpid() % 100) * 40
        super().__init__(extra_args=[
            "--sip-listen", f"127.0.0.1:{self.sip_port}", "--trunk", f"127.0.0.1:{carrier.sip_port}",
            "--trunk-allow", "127.0.0.1", "--trunk-username", TRUNK_USER, "--trunk-password-file", str(password_file),
            "--dial-allow", "+49*", "--caller-id", "+4930100", "--rtp-ports", f"{low}-{low + 39}",
            "--media-address", "127.0.0.1", *PHONE_DEBUG])
        self.sip = ("127.0.0.1", self.sip_port)
        self.rtpengine_pid = self._wait_for_phone()

    def _wait_for_phone(self):
        """The phone channel is ready (readyz) and rtpengine's pid is in the log."""
        admin = Admin(self.base)
        deadline = time.time() + 20
        while time.time() < deadline:
            ready = admin.request("GET", "/readyz")
            found = re.search(r"pid=(\d+) \[RtpEngine\] rtpengine started", self.log_path.read_text(errors="replace"))
            if ready and (ready.get("phone") or {}).get("ready") and found:
                return int(found.group(1))
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the phone channel did not start; the log:\n" + self.log_path.read_text(errors="replace")[-4000:])

    def stop(self):
        super().stop()
        # rtpengine is the server's child and goes with it; if it does not, it is killed here (by
        # its pid) and the test run fails, rather than leaving it bound to the ports.
        deadline = time.time() + 5
        while pid_alive(self.rtpengine_pid) and time.time() < deadline:
            time.sleep(0.1)
        if pid_alive(self.rtpengine_pid):
            os.kill(self.rtpengine_pid, 9)
            raise AssertionError(f"rtpengine (pid {self.rtpengine_pid}) outlived the server")


@pytest.fixture(scope="module")
def carrier():
    with Carrier() as running:
        yield running
        assert running.errors == [], "the carrier's SIP thread failed:\n" + "\n".join(running.errors)


@pytest.fixture(scope="module")
def server(carrier):
    """Overrides conftest's server for this module: contexts and agent_page use this one."""
    running = PhoneServer(carrier)
    yield running
    running.stop()
    assert not pid_alive(running.process.pid)


@pytest.fixture(scope="module")
def admin(server):
    return Admin(server.base)


_numbers = iter(range(100, 1000))


def phone_line(admin, **group_settings):
    """A skill group and a number of its own that calls reach (PUT /api/v1/phone-numbers)."""
    group_settings.setdefault("offerTimeoutSeconds", 30)
    group = admin.group(**group_settings)
    number = f"+4930555{os.getpid() % 1000:03d}{next(_numbers)}"
    admin.request("PUT", "/api/v1/phone-numbers/" + urllib.parse.quote(number, safe=""), {"skillGroupId": group}, expect=201)
    return group, number


def agent_stats(agent, session):
    return agent.call("(id) => TCCC.debug.callStats(id)", session)


def growth(sample, seconds=GROW_WINDOW):
    before = sample()
    time.sleep(seconds)
    return sample() - before


def browser_inbound(agent, session):
    return lambda: (agent_stats(agent, session) or {}).get("inboundBytes", 0)


def browser_outbound(agent, session):
    return lambda: (agent_stats(agent, session) or {}).get("outboundBytes", 0)


def heard_by_carrier(call):
    return lambda: call.rtp_received.audible


def audio_both_ways(agent, session, call):
    """The agent hears the carrier's tone and the carrier hears the agent's microphone, now; the
    browser's first offer got there (the SDK did not have to offer again)."""
    wait_until(lambda: browser_inbound(agent, session)() > 0, "audio at the agent")
    assert growth(browser_inbound(agent, session)) > MIN_GROWTH
    assert growth(heard_by_carrier(call)) >= MIN_AUDIBLE, call.rtp_received
    assert agent.call("() => TCCC.debug.phoneReoffers()") == 0


def no_reinvite(call):
    """The carrier got nothing in the call's dialog that would change its media."""
    return [r.method for r in call.requests if r.method in ("INVITE", "UPDATE")] == []


def media_counts(admin, session):
    """{leg: packetsReceived} from the server's rtpengine counters (GET /api/v1/sessions/{id}/media),
    or None when this server build has no such endpoint."""
    answer = admin.request("GET", f"/api/v1/sessions/{session}/media")
    if not isinstance(answer, dict) or "legs" not in answer:
        return None
    return {leg["leg"]: leg["packetsReceived"] for leg in answer["legs"]}


def relay_counts_grow(admin, session, legs=("carrier", "agent")):
    """rtpengine's counters (GET .../media) grow for `legs`, now; False when this server build has no
    such endpoint."""
    before = media_counts(admin, session)
    if before is None:
        return False
    time.sleep(GROW_WINDOW)
    after = media_counts(admin, session)
    for leg in legs:
        assert after.get(leg, 0) - before.get(leg, 0) > 20, (leg, before, after)
    return True


def call_in(admin, agent_page, carrier, server, agent_name="Phoebe"):
    """A phone line, an agent online on it, and a call from the carrier ringing at the agent."""
    group, number = phone_line(admin)
    agent_id = admin.agent([group], name=agent_name)
    agent = agent_page(agent_id)
    assert agent.call("() => TCCC.Agent.online()")["status"] == "success"
    call = carrier.call(number, CALLER, server=server.sip)
    call.wait_for(200)      # answered at once: the caller hears queue audio while it rings
    call.start_tone()
    offer = agent.wait_event("callIn", {"type": "phone"})
    return agent, agent_id, call, offer, number, group


def answered(admin, agent_page, carrier, server, agent_name="Phoebe"):
    """call_in, accepted in the workbench, with audio both ways."""
    agent, agent_id, call, offer, number, group = call_in(admin, agent_page, carrier, server, agent_name)
    session = offer["sessionId"]
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}'] .accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    audio_both_ways(agent, session, call)
    return agent, agent_id, call, session, number, group


def test_an_inbound_call_carries_audio_both_ways_and_the_caller_hangs_up(admin, agent_page, carrier, server):
    agent, agent_id, call, offer, number, group = call_in(admin, agent_page, carrier, server)
    session = offer["sessionId"]
    assert offer["calleePhoneNumber"] == number and offer["callerPhoneNumber"] == CALLER
    assert offer["serverType"] == "staffSeat" and offer["ivrPath"] == []

    # The offer shows the numbers, not field names.
    agent.call("() => TCCC.UI.showWorkbench()")
    card = agent.wb(f".offer[data-key='{session}']")
    assert CALLER in card.locator(".who-line").inner_text()
    assert f"dialled {number}" in card.locator(".info").inner_text()
    card.locator(".accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})

    # The agent's browser offered once, with its candidates in the SDP and none trickled.
    agent.page.wait_for_function("""() => TCCC.debug.frames().some(f => f.type === 'signal' && f.signal.kind === 'answer')""")
    audio_both_ways(agent, session, call)
    agent.wb(".callbar .call-label").get_by_text("Connected").wait_for()
    details = agent.wb(".details")
    assert details.locator("dd[data-field='Caller']").inner_text() == CALLER
    assert details.locator("dd[data-field='Number dialled']").inner_text() == number
    screenshot(agent.page, "workbench-phone-call")

    # The relay's own counters agree, where this server build has them (GET .../media).
    relay_counts_grow(admin, session)

    # The caller hangs up: the page hears closeBy client; the record says inbound and has both numbers.
    assert call.hangup() == 200
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "client" and ended["type"] == "phone"
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    record = admin.session(session)
    assert record["type"] == "phone" and record["direction"] == "inbound" and record["closeBy"] == "client"
    assert record["customer"]["callerPhoneNumber"] == CALLER and record["customer"]["calleePhoneNumber"] == number
    assert record["skillGroupId"] == group and record["agentId"] == agent_id and record["acceptedAt"]
    assert agent.page.evaluate("() => window.__errors") == []


def test_the_agent_hangs_up_and_the_carrier_gets_bye(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Hank")
    agent.wb(".chat-head .end").click()
    assert call.bye_received.wait(10), "no BYE reached the carrier"
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "seat"
    assert admin.session(session)["closeBy"] == "seat"


def test_hold_plays_hold_audio_to_the_caller_and_stops_the_agents_audio(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Holly")
    heard = heard_by_carrier(call)
    # Chromium's fake microphone and the server's hold audio both sound like tones to the carrier,
    # so the microphone is muted first: whatever the carrier hears during hold is the hold audio.
    assert agent.call("(id) => TCCC.Call.muteMic({sessionId: id})", session) == {"status": "success"}
    time.sleep(0.5)
    assert growth(heard) <= 2, call.rtp_received

    agent.wb(".callbar .hold").click()
    agent.wb(".callbar .hold[aria-pressed='true']").wait_for()
    agent.wb(".callbar .call-label").get_by_text("On hold").wait_for()
    time.sleep(0.5)   # packets in flight, and the hold audio starting
    assert growth(heard) >= MIN_AUDIBLE, call.rtp_received
    # The browser stops sending altogether (replaceTrack(null)), as for web calls.
    assert growth(browser_outbound(agent, session)) <= HOLD_SLACK
    assert agent_stats(agent, session)["held"] is True

    # Resume: the hold audio stops (the microphone is still muted) and the browser sends again.
    agent.wb(".callbar .hold").click()
    agent.wb(".callbar .hold[aria-pressed='false']").wait_for()
    time.sleep(0.5)
    assert growth(heard) <= 2, call.rtp_received
    assert growth(browser_outbound(agent, session)) > HOLD_SLACK
    assert agent.call("(id) => TCCC.Call.unmuteMic({sessionId: id})", session) == {"status": "success"}
    time.sleep(0.3)
    assert growth(heard) >= MIN_AUDIBLE, call.rtp_received
    again = agent.call("(id) => TCCC.Call.unHold({sessionId: id})", session)
    assert again["status"] == "error" and "not on hold" in again["errorMsg"]
    history = [h["kind"] for h in admin.session(session)["history"]]
    assert no_reinvite(call), history
    call.hangup()
    agent.wait_event("sessionEnded", {"sessionId": session})


def test_the_callers_digits_show_in_the_call_panel_and_the_record(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Dot")
    call.send_dtmf("5")
    agent.wb(".callbar .dtmf").get_by_text("Caller pressed 5").wait_for()
    assert agent.wait_event("digitsReceived", {"sessionId": session})["digits"] == "5"
    call.send_dtmf("7*")
    agent.wb(".callbar .dtmf").get_by_text("Caller pressed 57*").wait_for()
    wait_until(lambda: "57*" in (admin.session(session).get("digits") or ""), "the caller's digits in the record", 10)
    # The phone keys show during a phone call (and send, below).
    agent.wb(".callbar .dtmf-keys button[data-key='9']").wait_for()
    call.hangup()
    agent.wait_event("sessionEnded", {"sessionId": session})


def test_the_agents_digits_reach_the_carrier(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Dee")
    try:
        assert agent.call("(id) => TCCC.Call.sendDigits({sessionId: id, dtmfText: '12#'})", session) == {"status": "success"}
        # The call panel's keys send one digit a press.
        agent.wb(".callbar .dtmf-keys button[data-key='9']").click()
        agent.wb(".callbar .sent-digits").get_by_text("You sent 9").wait_for()
        wait_until(lambda: call.dtmf_received == ["1", "2", "#", "9"], f"the digits 12#9 at the carrier ({call.dtmf_received}, "
                   f"{call.rtp_received})", 10)
    finally:
        call.hangup()
        agent.wait_event("sessionEnded", {"sessionId": session})


def wait_dial_status(agent, text, timeout=15000):
    agent.page.wait_for_function(
        """(text) => document.querySelector('tccc-workbench').shadowRoot.querySelector('.dial-status').textContent.includes(text)""",
        arg=text, timeout=timeout)


def test_an_outbound_call_from_the_dial_pad(admin, agent_page, carrier, server):
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Otto")
    agent = agent_page(agent_id)
    agent.call("() => TCCC.Agent.online()")
    # The trunk asks for credentials first, then rings with early media (a tone) for a second.
    carrier.on_invite = Challenge(TRUNK_USER, TRUNK_PASSWORD, then=Answer(after=1.0, early_media=True))
    try:
        agent.call("() => TCCC.UI.showWorkbench()")
        agent.wb(".dialpad .dial-number").fill("+49 170 555-010")
        agent.wb(".dialpad .keys-toggle").click()
        agent.wb(".dialpad .dial-keys button[data-key='0']").click()
        agent.wb(".dialpad .dial-phone").click()
        placed = agent.wait_event("callOuted", {"type": "phone"})
        session = placed["sessionId"]
        assert placed["calleePhoneNumber"] == "+491705550100" and placed["skillGroupId"] == group
        # While the call is open the side panel (and the dial pad) is covered by the call; its line
        # still follows the call.
        wait_dial_status(agent, "+491705550100")
        incoming = carrier.wait_for_call(timeout=15)
        incoming.wait_for(200, timeout=15)
        assert incoming.challenged >= 1 and incoming.authorized
        assert "+4930100" in incoming.invite.headers.get("From")

        accepted = agent.wait_event("calloutAccepted", {"sessionId": session})
        assert accepted == {"sessionId": session}
        # The answer to the agent's offer came with the carrier's 183, before the callee answered.
        order = agent.call("""(id) => TCCC.debug.frames().filter(f => (f.type === 'signal' && f.sessionId === id && f.signal.kind === 'answer')
            || (f.type === 'event' && f.name === 'calloutAccepted')).map(f => f.type)""", session)
        assert order[:2] == ["signal", "event"], order
        agent.wb(".callbar .call-label").get_by_text("Connected").wait_for()
        wait_dial_status(agent, "Connected to +491705550100")
        incoming.start_tone()
        audio_both_ways(agent, session, incoming)
        relay_counts_grow(admin, session)
        screenshot(agent.page, "workbench-phone-outbound")

        agent.wb(".chat-head .end").click()
        assert incoming.bye_received.wait(10), "no BYE reached the carrier"
        assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "seat"
        record = admin.session(session)
        assert record["direction"] == "outbound" and record["customer"]["calleePhoneNumber"] == "+491705550100"
        assert record["acceptedAt"] and record["agentId"] == agent_id
        assert agent.page.evaluate("() => window.__errors") == []
    finally:
        carrier.on_invite = Answer()


def test_a_busy_number_ends_the_call_with_busy_in_the_page(admin, agent_page, carrier, server):
    group = admin.group(offerTimeoutSeconds=30)
    agent = agent_page(admin.agent([group], name="Bea"))
    agent.call("() => TCCC.Agent.online()")
    carrier.on_invite = Busy()
    try:
        agent.call("() => TCCC.UI.showWorkbench()")
        agent.wb(".dialpad .dial-number").fill("+4940123456")
        agent.wb(".dialpad .dial-phone").click()
        session = agent.wait_event("callOuted", {"type": "phone"})["sessionId"]
        ended = agent.wait_event("sessionEnded", {"sessionId": session})
        assert ended["endStatus"] == "busy" and ended["closeBy"] == "client", ended
        agent.wb(".dialpad .dial-status").get_by_text("Busy — +4940123456").wait_for()
        agent.wb(".history-list").get_by_text("Busy").wait_for()
        assert agent.call("() => TCCC.getState().history[0].endStatus") == "busy"
        assert admin.session(session)["endStatus"] == "busy"
        # The agent is free to dial again: not busy any more.
        agent.page.wait_for_function("() => TCCC.Agent.getStatus() !== 'busy'")
    finally:
        carrier.on_invite = Answer()


def test_a_transferred_call_carries_audio_with_the_new_agent_and_no_reinvite(admin, agent_page, carrier, server, contexts):
    first, first_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Tom")
    second_id = admin.agent([], name="Tina")
    second = agent_page(second_id)
    second.call("() => TCCC.Agent.online()")
    invites_before = len(carrier.requests("INVITE"))

    assert first.call("([id, to]) => TCCC.Call.transfer({sessionId: id, userId: to})", [session, second_id]) == {"status": "success"}
    first.wait_event("transfer", {"sessionId": session})
    assert first.call("(id) => TCCC.debug.callStats(id)", session) is None
    offer = second.wait_event("callIn", {"sessionId": session})
    assert offer["type"] == "phone" and offer["callerPhoneNumber"] == CALLER
    assert second.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    audio_both_ways(second, session, call)
    relay_counts_grow(admin, session)
    # The carrier noticed nothing: no re-INVITE (or UPDATE) in the call, no INVITE at all.
    assert no_reinvite(call) and len(carrier.requests("INVITE")) == invites_before
    assert second.call("(id) => TCCC.Call.hungUp({sessionId: id})", session) == {"status": "success"}
    assert call.bye_received.wait(10)
    second.wait_event("sessionEnded", {"sessionId": session})

    # The supervisor's session history names both agents who held the call, in order, and the
    # agent's side as the one that hung up.
    page = history_of(contexts, admin, number, session)
    assert history_fact(page, "Agents") == f"{first_id}, {second_id}"
    assert history_fact(page, "Hung up by") == "Agent" and history_fact(page, "Direction") == "Inbound"
    assert page.evaluate("() => window.__errors || []") == []


def history_of(contexts, admin, number, session):
    """A supervisor's page with `session` (a call to `number`) open in the session history."""
    supervisor = admin.supervisor(role="supervisor")
    page = sign_in_supervisor(contexts(viewport={"width": 1366, "height": 900}), supervisor)
    page.locator("#history-q").fill(number.lstrip("+"))
    page.locator("#history-type").select_option("phone")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(f"button[data-history-session='{session}']").click()
    page.locator(".history-facts dd[data-fact='Direction']").wait_for()
    return page


def history_fact(page, name):
    return page.locator(f".history-facts dd[data-fact='{name}']").inner_text()


def test_a_reloaded_agent_page_takes_the_call_back(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Rita")
    agent.page.reload()
    agent.wait_event("ready")
    sessions = agent.call("() => TCCC.getState().sessions")
    assert [(s["sessionId"], s["type"], s["state"]) for s in sessions] == [(session, "phone", "accepted")]
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(".sessions-list button.session").first.click()
    agent.wb(".callbar .call-label").get_by_text("Answered in another tab").wait_for()
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    agent.wb(".callbar .take-over").click()
    audio_both_ways(agent, session, call)
    agent.wb(".callbar .take-over").wait_for(state="hidden")
    assert no_reinvite(call)
    call.hangup()
    assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"


def test_the_relay_counts_the_agents_audio(admin, agent_page, carrier, server):
    agent, agent_id, call, session, number, group = answered(admin, agent_page, carrier, server, "Rhea")
    try:
        assert relay_counts_grow(admin, session, legs=("carrier", "agent"))
    finally:
        call.hangup()
        agent.wait_event("sessionEnded", {"sessionId": session})


def wait_for_record(admin, session, **fields):
    wait_until(lambda: all(admin.session(session).get(k) == v for k, v in fields.items()),
               f"the record of {session} with {fields}", 10)
    return admin.session(session)


def test_a_caller_who_gives_up_while_queued(admin, carrier, server):
    group, number = phone_line(admin)          # nobody online: the call waits in the queue
    call = carrier.call(number, CALLER, server=server.sip)
    call.wait_for(200)
    # The caller hears the queue audio while waiting.
    wait_until(lambda: call.rtp_received.audible > 10, f"queue audio at the carrier ({call.rtp_received})")
    queued = admin.get(f"/api/v1/sessions?live=true&skillGroupId={group}")["items"]
    assert [s["state"] for s in queued] == ["queued"]
    session = queued[0]["id"]
    assert call.hangup() == 200
    record = wait_for_record(admin, session, state="ended")
    assert record["closeBy"] == "client" and record["endStatus"] == "waitingGiveUp", record


def test_a_caller_who_gives_up_while_it_rings_at_an_agent(admin, agent_page, carrier, server):
    agent, agent_id, call, offer, number, group = call_in(admin, agent_page, carrier, server, "Ringo")
    session = offer["sessionId"]
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}']").wait_for()
    assert call.hangup() == 200
    ended = agent.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "client"
    agent.wb(f".offer[data-key='{session}']").wait_for(state="detached")
    record = wait_for_record(admin, session, state="ended")
    assert record["closeBy"] == "client" and record["endStatus"] == "ringingGiveUp", record


def test_a_phone_call_through_an_ivr_menu_reaches_the_chosen_group_with_its_path(admin, agent_page, carrier, server, contexts):
    """Issue 18: a number bound to a flow. The caller hears the menu espeak-ng spoke, presses 2 as
    RFC 4733 events, and chromium's callIn carries the choice as ivrPath; answered, the call has
    audio both ways as any other."""
    sales, support, flow = sales_support_menu(admin)
    number = f"+4930556{os.getpid() % 1000:03d}{next(_numbers)}"
    admin.request("PUT", "/api/v1/phone-numbers/" + urllib.parse.quote(number, safe=""), {"ivrFlowId": flow}, expect=201)
    agent_id = admin.agent([support], name="Ivy")
    agent = agent_page(agent_id)
    assert agent.call("() => TCCC.Agent.online()")["status"] == "success"

    call = carrier.call(number, CALLER, server=server.sip)
    call.wait_for(200)      # the flow answers to play its menu
    wait_until(lambda: call.rtp_received.audible > 10, f"the menu's prompt at the carrier ({call.rtp_received})")
    call.send_dtmf("2")
    offer = agent.wait_event("callIn", {"type": "phone"})
    assert offer["ivrPath"] == [{"key": "2", "label": "support"}], offer
    assert offer["calleePhoneNumber"] == number and offer["callerPhoneNumber"] == CALLER
    session = offer["sessionId"]
    record = admin.session(session)
    assert record["skillGroupId"] == support and record["digits"] == "2" and record["priority"] == 2, record

    # Answered in the workbench as any phone call: audio both ways.
    call.start_tone()
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}'] .accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    audio_both_ways(agent, session, call)
    assert call.hangup() == 200
    assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "client"
    record = wait_for_record(admin, session, state="ended")
    assert record["customer"]["ivrPath"] == [{"key": "2", "label": "support"}] and record["endStatus"] == "ok", record
    assert agent.page.evaluate("() => window.__errors") == []

    # The supervisor's session history shows the phone record: direction, the menu choice with
    # its label, each wait, who hung up, the end status and the agent who held the call.
    page = history_of(contexts, admin, number, session)

    def fact(name):
        return history_fact(page, name)
    assert fact("Direction") == "Inbound"
    # Arrived (answered for the menu) before it queued: both times are shown.
    assert record["queuedAt"] > record["createdAt"] and fact("Queued at"), record
    assert fact("Menu choices") == "2 support" and fact("Keys pressed") == "2"
    assert fact("Hung up by") == "Caller" and fact("End status") == "ok"
    assert fact("Agents") == agent_id and fact("Group") == support
    for name, field in (("Queue time", "waitSeconds"), ("Ring time", "ringSeconds"), ("Talk", "talkSeconds"), ("On hold", "holdSeconds")):
        assert record[field] is not None, (field, record)
        assert fact(name) == f"{record[field]} s", (name, record)
    screenshot(page, "supervisor-session-history-ivr-call")
    assert page.evaluate("() => window.__errors || []") == []


def sign_in_supervisor(context, user, password="correct horse battery"):
    page = context.new_page()
    page.goto("/supervisor/")
    page.get_by_label("User id", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#dashboard").wait_for()
    return page


def wav_windows(wav_bytes, window_ms=250):
    """(rate, [[rms per window] per channel]) of a 16-bit PCM WAV, read with Python's wave module."""
    import array
    import io
    import wave
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
        assert width == 2, f"16-bit samples expected, not {width * 8}-bit"
        samples = array.array("h", wav.readframes(wav.getnframes()))
    per_window = rate * window_ms // 1000
    result = []
    for channel in range(channels):
        own = samples[channel::channels]
        result.append([(sum(s * s for s in own[i:i + per_window]) / per_window) ** 0.5
                       for i in range(0, len(own) - per_window + 1, per_window)])
    return rate, result


def test_a_recorded_call_holds_both_sides_and_its_agent_plays_it_from_past_sessions(admin, agent_page, carrier, server, contexts):
    """Issue 18: a group that records its calls; the WAV has the caller (the carrier's 440 Hz tone,
    left) and the agent (chromium's beeping fake microphone, right), measured by energy, not by
    size; the agent who answered finds the call in its past sessions and plays it."""
    group, number = phone_line(admin, recordCalls=True)
    agent_id = admin.agent([group], name="Rosalind")
    agent = agent_page(agent_id)
    assert agent.call("() => TCCC.Agent.online()")["status"] == "success"
    call = carrier.call(number, CALLER, server=server.sip)
    call.wait_for(200)
    call.start_tone()
    session = agent.wait_event("callIn", {"type": "phone"})["sessionId"]
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".offer[data-key='{session}'] .accept").click()
    agent.wait_event("userAccessed", {"sessionId": session})
    audio_both_ways(agent, session, call)
    time.sleep(3)
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session)["status"] == "success"
    agent.wait_event("sessionEnded", {"sessionId": session})
    wait_until(lambda: (admin.session(session).get("recording") or {}).get("status") == "ready", "the recording is ready", 20)

    request = urllib.request.Request(server.base + f"/api/v1/sessions/{session}/recording",
                                     headers={"Authorization": f"Bearer {API_KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "audio/wav"
        wav = response.read()
    rate, (caller, agent_side) = wav_windows(wav)
    assert rate == 8000
    loud_caller = sum(1 for rms in caller if rms > 500)
    loud_agent = sum(1 for rms in agent_side if rms > 500)
    # About 5 s answered: the tone fills most of it; the fake microphone beeps part of each second.
    assert loud_caller >= 12, f"the caller's side: {[int(r) for r in caller]}"
    assert loud_agent >= 3, f"the agent's side: {[int(r) for r in agent_side]}"

    # The workbench: past sessions, the call, its recording playing.
    agent.wb(".past-open").click()
    dialog = agent.wb(".past-dialog")
    dialog.locator(f"button[data-session='{session}']").click()
    dialog.locator(".play-recording").click()
    audio = dialog.locator("audio")
    audio.wait_for()
    agent.page.wait_for_function(
        "() => { const a = document.querySelector('tccc-workbench').shadowRoot.querySelector('.past-dialog audio');"
        " return a && a.readyState >= 1 && a.duration > 3; }")
    screenshot(agent.page, "workbench-past-sessions-recording")
    assert agent.page.evaluate("() => window.__errors") == []

    # A supervisor finds the call in the session history and plays it from the API (ranges,
    # with the sign-in cookie), beside what happened.
    supervisor = admin.supervisor(role="supervisor")
    page = sign_in_supervisor(contexts(viewport={"width": 1366, "height": 900}), supervisor)
    page.locator("#history-q").fill(CALLER)
    page.locator("#history-type").select_option("phone")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(f"button[data-history-session='{session}']").click()
    player = page.locator(".history-recording audio")
    player.wait_for()
    page.wait_for_function("() => { const a = document.querySelector('.history-recording audio'); return a.readyState >= 1 && a.duration > 3; }")
    page.evaluate("() => { const a = document.querySelector('.history-recording audio'); a.currentTime = 2; }")
    page.wait_for_function("() => document.querySelector('.history-recording audio').seekable.length > 0")
    assert "accepted" in page.locator(".history-lines").inner_text()
    screenshot(page, "supervisor-session-history-recording")
