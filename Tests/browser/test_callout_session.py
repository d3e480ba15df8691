"""Calls placed with the server API's `CreateCallOutSession` (a TCCC backend dialling the customer
for an agent), answered by the agent's page that loaded the browser SDK: the page makes the WebRTC
offer the INVITE is built from, as the tab that dials `Call.startOutboundCall` does. End to end:
Tencent Cloud's own Python SDK signs the request, the fake carrier (carrier.py) answers, and the
server's real rtpengine carries the audio both ways; with two tabs of the agent open exactly one
of them offers (docs/browser-sdk.md, "Calls dialled by the server API").
"""

import json
import time

import pytest

from carrier import Answer
from conftest import wait_until
from test_phone import audio_both_ways

UUI = "order=4711;lang=de"

# Every frame the page sends on its agent socket, kept for the test (the page's SDK is unchanged).
RECORD_SENT_FRAMES = """
  window.__sent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { window.__sent.push(JSON.parse(data)); } catch (error) { /* not JSON */ }
    return send.call(this, data);
  };
"""


# The phone suite's module fixtures: a fake carrier, and a server with the phone channel that
# overrides conftest's for this module (contexts and agent_page use it).
from test_phone import admin, carrier, server  # noqa: E402,F401


@pytest.fixture(scope="module")
def cloud(server, admin):
    """TCCC's server API at the server's endpoint, through Tencent's client with a key pair the
    admin API made: (client, sdkAppId)."""
    from tencentcloud.ccc.v20200210 import ccc_client
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    key = admin.request("POST", "/api/v1/api-keys", {"description": "browser call-out tests"}, expect=201)
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.base.removeprefix("http://")))
    return ccc_client.CccClient(credential.Credential(key["secretId"], key["secretKey"]), "", profile), key["sdkAppId"]


def call_out(cloud, **params):
    """`CreateCallOutSession` as a TCCC backend sends it; the new call's session id."""
    from tencentcloud.ccc.v20200210 import models

    client, sdk_app_id = cloud
    request = models.CreateCallOutSessionRequest()
    request.from_json_string(json.dumps({"SdkAppId": sdk_app_id, **params}))
    return client.CreateCallOutSession(request).SessionId


def offers_sent(agent, session):
    """The phone offers this page sent for the call."""
    return agent.call("""(id) => window.__sent.filter(f => f.type === 'signal' && f.sessionId === id
        && f.signal && f.signal.kind === 'offer').length""", session)


def record_frames(page):
    page.add_init_script(RECORD_SENT_FRAMES)


def online_agent(admin, agent_page, tabs=1, contexts=None):
    """An agent in a skill group, online, with `tabs` pages of its own open in one browser."""
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Carla")
    context = contexts() if contexts else None
    pages = [agent_page(agent_id, context=context, prepare=record_frames) for _ in range(tabs)]
    assert pages[0].call("() => TCCC.Agent.online()")["status"] == "success"
    for page in pages:
        page.page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    return agent_id, group, pages


def test_a_call_placed_with_the_server_api_is_offered_by_the_agents_page_and_hung_up_there(admin, agent_page, carrier, server, cloud):
    agent_id, group, (agent,) = online_agent(admin, agent_page)
    carrier.on_invite = Answer(after=0.5)
    session = call_out(cloud, UserId=agent_id, Callee="+4930123456", Callers=["+4930100"], UUI=UUI)

    # The page hears the call as TCCC documents it: the numbers, the uui, the end that carries it.
    placed = agent.wait_event("callOuted", {"sessionId": session})
    assert placed["type"] == "phone" and placed["calleePhoneNumber"] == "+4930123456", placed
    assert placed["callerPhoneNumber"] == "+4930100" and placed["uui"] == UUI and placed["serverType"] == "staffSeat", placed
    assert placed["skillGroupId"] == group and placed["placedBy"] == "serverAPI"
    known = agent.call("(id) => TCCC.getState().sessions.find(s => s.sessionId === id)", session)
    assert known["direction"] == "out" and known["uui"] == UUI

    # The page's offer is what the server dials with.
    incoming = carrier.wait_for_call(timeout=15)
    incoming.wait_for(200, timeout=15)
    assert incoming.invite.headers.get("User-to-User", "").startswith(UUI.encode().hex())
    assert "+4930100" in incoming.invite.headers.get("From")
    agent.wait_event("calloutAccepted", {"sessionId": session})
    incoming.start_tone()
    audio_both_ways(agent, session, incoming)
    assert offers_sent(agent, session) == 1

    # Hung up from the page: the callee gets BYE, the record keeps the uui and the agent.
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session)["status"] == "success"
    assert incoming.bye_received.wait(10), "no BYE reached the carrier"
    assert agent.wait_event("sessionEnded", {"sessionId": session})["closeBy"] == "seat"
    record = admin.session(session)
    assert record["direction"] == "outbound" and record["agentId"] == agent_id and record["acceptedAt"]
    assert record["customer"]["clientData"] == UUI and record["customer"]["calleePhoneNumber"] == "+4930123456"
    assert agent.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert agent.page.evaluate("() => window.__errors") == []


class LateTab:
    """Routes two tabs' agent sockets through the test; the second tab's frames from `callOuted` on
    are held back until the first tab has sent its offer, so the second hears of the call only
    after the first offered (a slow socket, a busy tab)."""

    def __init__(self):
        self.first_offered = False
        self.late = None
        self.held = []

    def route_first(self, page):
        page.route_web_socket("**/ws/agent**", self.connect_first)

    def route_second(self, page):
        page.route_web_socket("**/ws/agent**", self.connect_second)

    def connect_first(self, ws):
        server = ws.connect_to_server()

        def to_server(message):
            server.send(message)
            if '"kind":"offer"' in str(message) and not self.first_offered:
                self.first_offered = True
                for frame in self.held:
                    self.late.send(frame)
                self.held = []

        ws.on_message(to_server)
        server.on_message(lambda message: ws.send(message))

    def connect_second(self, ws):
        server = ws.connect_to_server()
        self.late = ws

        def to_page(message):
            if not self.first_offered and (self.held or '"callOuted"' in str(message)):
                self.held.append(message)
                return
            ws.send(message)

        ws.on_message(lambda message: server.send(message))
        server.on_message(to_page)


@pytest.mark.parametrize("timing", ["together", "late"])
def test_of_two_tabs_of_the_agent_exactly_one_offers_and_carries_the_audio(admin, agent_page, carrier, server, cloud, contexts, timing):
    """Both tabs hear of the call at once, or the second only after the first offered: either way
    one tab offers, once, and the other shows the call answered elsewhere and can hang it up."""
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Carla")
    context = contexts()
    late = LateTab()

    def prepare(route):
        return lambda page: (record_frames(page), route(page) if timing == "late" else None)

    tabs = [agent_page(agent_id, context=context, prepare=prepare(late.route_first)),
            agent_page(agent_id, context=context, prepare=prepare(late.route_second))]
    assert tabs[0].call("() => TCCC.Agent.online()")["status"] == "success"
    for tab in tabs:
        tab.page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    carrier.on_invite = Answer(after=0.5)
    session = call_out(cloud, UserId=agent_id, Callee="+4930765432", UUI=UUI)
    for tab in tabs:
        assert tab.wait_event("callOuted", {"sessionId": session})["uui"] == UUI

    incoming = carrier.wait_for_call(timeout=15)
    incoming.wait_for(200, timeout=15)
    for tab in tabs:
        tab.wait_event("calloutAccepted", {"sessionId": session})
    assert late.first_offered == (timing == "late")
    incoming.start_tone()
    wait_until(lambda: any(tab.call("(id) => !!TCCC._call(id)", session) for tab in tabs), "media in one tab")
    time.sleep(1.0)  # time for a second offer, were one coming
    offering = [tab for tab in tabs if tab.call("(id) => !!TCCC._call(id)", session)]
    assert len(offering) == 1, "not exactly one tab has the call's media"
    counts = [offers_sent(tab, session) for tab in tabs]
    assert sorted(counts) == [0, 1], counts
    if timing == "late":
        assert offering[0] is tabs[0]
    audio_both_ways(offering[0], session, incoming)
    # The carrier got the one INVITE that placed the call, and nothing since that moves its media.
    changes = [r.method for r in incoming.requests if r.method in ("INVITE", "UPDATE")]
    assert changes == ["INVITE"], changes

    # The other tab shows the call, answered elsewhere, and can hang it up.
    other = [tab for tab in tabs if tab is not offering[0]][0]
    other.call("() => TCCC.UI.showWorkbench()")
    other.wb(f".sessions-list [data-key='{session}']").click()
    other.wb(".callbar .call-label").get_by_text("Answered in another tab or window").wait_for()
    assert other.call("(id) => TCCC.Call.hungUp({sessionId: id})", session)["status"] == "success"
    assert incoming.bye_received.wait(10), "no BYE reached the carrier"
    for tab in tabs:
        tab.wait_event("sessionEnded", {"sessionId": session})
    wait_until(lambda: offering[0].call("(id) => TCCC.debug.callStats(id)", session) is None, "the media closed in the offering tab")


def test_a_call_the_page_dialled_itself_is_offered_by_that_tab_only(admin, agent_page, carrier, server, contexts):
    """Call.startOutboundCall's tab offers at once; another page of the agent, in another browser
    that cannot hear the tabs' choice, leaves the call to it."""
    agent_id, _, (agent,) = online_agent(admin, agent_page)
    elsewhere = agent_page(agent_id, context=contexts(), prepare=record_frames)
    carrier.on_invite = Answer(after=0.5)
    answer = agent.call("() => TCCC.Call.startOutboundCall({phoneNumber: '+4930111222', uui: 'own'})")
    assert answer["status"] == "success", answer
    session = answer["data"]["sessionId"]
    incoming = carrier.wait_for_call(timeout=15)
    incoming.wait_for(200, timeout=15)
    agent.wait_event("calloutAccepted", {"sessionId": session})
    placed = elsewhere.wait_event("callOuted", {"sessionId": session})
    assert placed["uui"] == "own" and "placedBy" not in placed
    incoming.start_tone()
    audio_both_ways(agent, session, incoming)
    assert offers_sent(agent, session) == 1 and offers_sent(elsewhere, session) == 0
    assert elsewhere.call("(id) => TCCC.debug.callStats(id)", session) is None
    assert agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session)["status"] == "success"
    assert incoming.bye_received.wait(10)
