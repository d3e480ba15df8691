"""The phone actions through the unmodified SDK, against a server with the phone channel on: SIP
on 127.0.0.1, its own rtpengine, and the fake carrier of the browser tests (Tests/browser/carrier.py)
as the trunk. Real calls: the carrier calls in, the API lists, reads and hangs them up, and
`CreateCallOutSession` dials out through the carrier for an agent on the SDK's socket.

Needs rtpengine (as the phone tests do); without it the module is skipped, saying so.
"""

import os
import shutil
import socket
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from carrier import Answer, Carrier  # noqa: E402

from conftest import SDK_APP_ID, Agent, Server, admin, call, error_of, make_client, unique  # noqa: E402

# The phone tests need rtpengine; .ci/run installs it. Missing, they fail (in the server fixture)
# rather than skip, so a CI run without it cannot pass quietly.

CALLER = "+4917012345"
CLI_NUMBER = "+4930999"
TRUNK_PASSWORD = "carrier-secret-4711"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_offer():
    """A WebRTC offer as a browser makes it; nothing answers on its port (the tests check the
    signalling and the SIP side, as PhoneGatewayTests do)."""
    return "\r\n".join([
        "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        f"m=audio {free_udp_port()} UDP/TLS/RTP/SAVPF 111 0 126", "c=IN IP4 127.0.0.1",
        "a=candidate:1 1 udp 2122260223 127.0.0.1 9 typ host generation 0",
        "a=ice-ufrag:Wn4x", "a=ice-pwd:BvHaMXvdvSQ5N1y9k9cMYv4R",
        "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F",
        "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:126 telephone-event/8000", ""])


@pytest.fixture(scope="module")
def carrier():
    with Carrier() as running:
        yield running
        assert running.errors == [], "the carrier's SIP thread failed:\n" + "\n".join(running.errors)


@pytest.fixture(scope="module")
def phone_server(carrier):
    sip_port = free_udp_port()
    secrets_dir = Path(tempfile.mkdtemp(prefix="switchboard-trunk-"))
    (secrets_dir / "trunk-password").write_text(TRUNK_PASSWORD)
    low = 33000 + (os.getpid() % 100) * 40
    running = Server(extra_args=[
        "--sip-listen", f"127.0.0.1:{sip_port}", "--trunk", f"127.0.0.1:{carrier.sip_port}", "--trunk-allow", "127.0.0.1",
        "--trunk-username", "switchboard", "--trunk-password-file", str(secrets_dir / "trunk-password"),
        "--dial-allow", "+49*", "--caller-id", "+4930100", "--rtp-ports", f"{low}-{low + 39}", "--media-address", "127.0.0.1",
        "--phone-number", f"{CLI_NUMBER}=cli-line"])
    running.sip = ("127.0.0.1", sip_port)
    try:
        deadline = time.time() + 20
        while not (admin(running, "GET", "/readyz") or {}).get("phone", {}).get("ready"):
            if time.time() > deadline:
                raise RuntimeError("the phone channel did not start: " + (running.dir / "stderr.log").read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        yield running
    finally:
        running.stop()
        shutil.rmtree(secrets_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def phone_client(phone_server):
    created = admin(phone_server, "POST", "/api/v1/api-keys", {"description": "phone tests"}, expect=201)
    return make_client(phone_server, created["secretId"], created["secretKey"])


_numbers = iter(range(100, 1000))


def phone_line(server, client):
    """A TCCC skill group and a number of its own that calls queue in."""
    group = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Line"), SkillGroupType=0).SkillGroupId
    number = f"+4930555{next(_numbers)}"
    admin(server, "PUT", "/api/v1/phone-numbers/" + urllib.parse.quote(number, safe=""), {"skillGroupId": str(group)}, expect=201)
    return group, number


def cdr(client, session_id, **params):
    now = int(time.time())
    answer = call(client, "DescribeTelCdr", SdkAppId=SDK_APP_ID, StartTimeStamp=now - 600, EndTimeStamp=now + 60,
                  PageSize=10, PageNumber=0, SessionIds=[session_id], **params)
    assert answer.TotalCount == 1 and len(answer.TelCdrList) == 1, answer
    return answer.TelCdrList[0]


def wait_for_live(client, predicate, what):
    deadline = time.time() + 10
    while time.time() < deadline:
        sessions = call(client, "DescribePSTNActiveSessionList", SdkAppId=SDK_APP_ID, Offset=0, Limit=25).Sessions
        found = [s for s in sessions if predicate(s)]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no live call {what}")


def test_numbers_are_the_bindings_of_the_admin_api_and_the_command_line(phone_server, phone_client):
    group, number = phone_line(phone_server, phone_client)
    answer = call(phone_client, "DescribeNumbers", SdkAppId=SDK_APP_ID, PageNumber=0, PageSize=100)
    numbers = {n.Number: n for n in answer.Numbers}
    assert answer.TotalCount == len(answer.Numbers) >= 2
    assert numbers[number].CallOutSkillGroupIds == [group] and numbers[number].State == 1 and numbers[number].CostType == 1
    # --phone-number's group is the admin API's `cli-line`: not a TCCC-numbered group.
    assert numbers[CLI_NUMBER].CallOutSkillGroupIds == []
    # Pages from 0.
    first = call(phone_client, "DescribeNumbers", SdkAppId=SDK_APP_ID, PageNumber=0, PageSize=1).Numbers
    second = call(phone_client, "DescribeNumbers", SdkAppId=SDK_APP_ID, PageNumber=1, PageSize=1).Numbers
    assert len(first) == len(second) == 1 and first[0].Number != second[0].Number
    error = error_of(phone_client, "DescribeNumbers", SdkAppId=SDK_APP_ID, PageSize=0)
    assert error.code == "InvalidParameterValue" and "PageSize" in error.message


def test_an_inbound_call_is_listed_read_hung_up_and_recorded(phone_server, phone_client, carrier):
    group, number = phone_line(phone_server, phone_client)
    incoming = carrier.call(number, CALLER, server=phone_server.sip)
    incoming.wait_for(200, timeout=10)
    live = wait_for_live(phone_client, lambda s: s.Callee == number, f"to {number}")
    session_id = live.SessionID
    assert (live.Caller, live.Direction, live.SessionStatus, live.StaffEmail) == (CALLER, 0, "seatJoining", "")
    # TCCC types this list's StartTimestamp as a string.
    assert isinstance(live.StartTimestamp, str) and abs(int(live.StartTimestamp) - time.time()) < 60

    session = call(phone_client, "DescribeTelSession", SdkAppId=SDK_APP_ID, SessionId=session_id).Session
    assert (session.SessionID, session.Caller, session.Callee, session.Direction, session.SessionStatus) == (session_id, CALLER, number, 0, "seatJoining")

    call(phone_client, "HangUpCall", SdkAppId=SDK_APP_ID, SessionId=session_id)
    assert incoming.bye_received.wait(10), "the carrier got no BYE"
    error = error_of(phone_client, "HangUpCall", SdkAppId=SDK_APP_ID, SessionId=session_id)
    assert error.code == "FailedOperation.SessionNotExists" and "already ended" in error.message

    deadline = time.time() + 10
    while call(phone_client, "DescribeTelSession", SdkAppId=SDK_APP_ID, SessionId=session_id).Session.SessionStatus != "finished":
        assert time.time() < deadline, "the session did not finish"
        time.sleep(0.1)
    record = cdr(phone_client, session_id)
    assert (record.SessionId, record.Caller, record.Callee, record.Direction, record.CallType) == (session_id, CALLER, number, 0, 2)
    assert (record.EndStatusString, record.EndStatus, record.HungUpSide) == ("adminEnded", 0, "system")
    assert (record.SkillGroupId, record.QueuedSkillGroupId) == (group, group)
    assert record.RecordURL == "" and record.SeatUser is None and record.Duration == 0 and record.AcceptTimestamp == 0
    assert record.EndedTimestamp >= record.StartTimestamp == record.Time > 0
    # Filtered by number; pages count from 0.
    now = int(time.time())
    by_phone = call(phone_client, "DescribeTelCdr", SdkAppId=SDK_APP_ID, StartTimeStamp=now - 600, EndTimeStamp=now + 60,
                    PageSize=100, PageNumber=0, Phones=[number])
    assert [c.SessionId for c in by_phone.TelCdrList] == [session_id] and by_phone.TotalCount == 1
    empty = call(phone_client, "DescribeTelCdr", SdkAppId=SDK_APP_ID, StartTimeStamp=now - 600, EndTimeStamp=now + 60,
                 PageSize=100, PageNumber=1, Phones=[number])
    assert empty.TelCdrList == [] and empty.TotalCount == 1


def test_keys_pressed_in_an_ivr_menu_come_back_in_the_record(phone_server, phone_client, carrier):
    group, _ = phone_line(phone_server, phone_client)
    flow = unique("menu")
    admin(phone_server, "PUT", f"/api/v1/ivr-flows/{flow}", {"name": "Menu", "start": "menu", "nodes": [
        {"id": "menu", "type": "menu", "prompt": {"text": "Press 2 for support."},
         "choices": [{"digits": "2", "label": "support", "next": "queue"}], "timeoutSeconds": 10, "retries": 0, "onFailure": "queue"},
        {"id": "queue", "type": "queue", "skillGroupId": str(group)}]}, expect=201)
    number = f"+4930777{next(_numbers)}"
    admin(phone_server, "PUT", "/api/v1/phone-numbers/" + urllib.parse.quote(number, safe=""), {"ivrFlowId": flow}, expect=201)
    incoming = carrier.call(number, CALLER, server=phone_server.sip)
    incoming.wait_for(200, timeout=10)
    time.sleep(0.5)
    incoming.send_dtmf("2")
    live = wait_for_live(phone_client, lambda s: s.Callee == number, f"to {number} after the menu")
    incoming.hangup()
    deadline = time.time() + 10
    while call(phone_client, "DescribeTelSession", SdkAppId=SDK_APP_ID, SessionId=live.SessionID).Session.SessionStatus != "finished":
        assert time.time() < deadline, "the session did not finish"
        time.sleep(0.1)
    record = cdr(phone_client, live.SessionID)
    assert [(k.Key, k.Label) for k in record.IVRKeyPressedEx] == [("2", "support")]
    assert record.IVRKeyPressed == ["2"]
    assert (record.EndStatusString, record.EndStatus, record.HungUpSide) == ("waitingGiveUp", 103, "user")


def test_a_call_out_session_dials_for_the_agent_and_keeps_the_uui(phone_server, phone_client, carrier):
    group, _ = phone_line(phone_server, phone_client)
    mail = unique("caller") + "@example.com"
    call(phone_client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": mail, "Name": "Dialler"}])
    call(phone_client, "BindStaffSkillGroupList", SdkAppId=SDK_APP_ID, StaffEmail=mail, SkillGroupList=[group])
    token = call(phone_client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail).Token
    agent = Agent(phone_server, token)
    assert agent.welcome["type"] == "welcome", agent.welcome
    agent.request("Agent.online")
    try:
        carrier.on_invite = Answer()
        session_id = call(phone_client, "CreateCallOutSession", SdkAppId=SDK_APP_ID, UserId=mail, Callee="+4930123",
                          Callers=["+4930100"], UUI="order=1207").SessionId
        outed = agent.event("callOuted", session_id)
        assert outed["data"]["type"] == "phone" and outed["data"]["calleePhoneNumber"] == "+4930123"
        # The SDK hears the call as the page that dialled would: the number shown, the uui, the end.
        assert (outed["data"]["callerPhoneNumber"], outed["data"]["uui"], outed["data"]["serverType"]) == ("+4930100", "order=1207", "staffSeat")
        # No page of the agent dialled it: one of them must offer.
        assert outed["data"]["placedBy"] == "serverAPI"
        # The agent's SDK makes the offer, which becomes the INVITE's SDP.
        agent.send({"v": 1, "type": "signal", "sessionId": session_id, "signal": {"kind": "offer", "sdp": browser_offer()}})
        dialled = carrier.wait_for_call(timeout=10)
        assert dialled.invite.headers.get("User-to-User", "").startswith("6f726465723d31323037")
        agent.event("calloutAccepted", session_id)

        live = wait_for_live(phone_client, lambda s: s.SessionID == session_id, session_id)
        assert (live.Direction, live.SessionStatus, live.StaffEmail, live.Callee, live.Caller) == (1, "inProgress", mail, "+4930123", "+4930100")
        assert live.AcceptTimestamp != ""
        session = call(phone_client, "DescribeTelSession", SdkAppId=SDK_APP_ID, SessionId=session_id).Session
        assert (session.Direction, session.SessionStatus, session.StaffEmail) == (1, "inProgress", mail)

        call(phone_client, "HangUpCall", SdkAppId=SDK_APP_ID, SessionId=session_id)
        assert dialled.bye_received.wait(10), "the callee got no BYE"
        agent.event("sessionEnded", session_id)
        record = cdr(phone_client, session_id)
        assert (record.Direction, record.CallType, record.UUI, record.Caller, record.Callee) == (1, 1, "order=1207", "+4930100", "+4930123")
        assert (record.SeatUser.Mail, record.SeatUser.UserId, record.SeatUser.Name) == (mail, mail, "Dialler")
        assert (record.EndStatus, record.EndStatusString, record.HungUpSide) == (1, "ok", "system")
        assert record.AcceptTimestamp > 0 and record.ServeParticipants[0].Mail == mail
        # The admin API's record keeps the uui too.
        assert admin(phone_server, "GET", f"/api/v1/sessions/{session_id}", expect=200)["customer"]["clientData"] == "order=1207"
    finally:
        agent.close()


def test_bad_phone_parameters_are_named_and_place_no_call(phone_server, phone_client):
    group, _ = phone_line(phone_server, phone_client)
    mail = unique("idle") + "@example.com"
    call(phone_client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": mail, "Name": "Idle"}])
    before = len(admin(phone_server, "GET", "/api/v1/sessions?limit=500", expect=200)["items"])
    cases = [
        ("CreateCallOutSession", dict(UserId=mail, Callee="+4930123", IsForceUseMobile=True), "InvalidParameterValue", "IsForceUseMobile"),
        ("CreateCallOutSession", dict(UserId=mail, Callee="+1900555"), "InvalidParameterValue", "Callee"),
        ("CreateCallOutSession", dict(UserId=mail, Callee="12ab"), "InvalidParameterValue", "Callee"),
        ("CreateCallOutSession", dict(UserId=mail, Callee="+4930123", Callers=["+4969910"]), "InvalidParameterValue", "Callers[0]"),
        ("CreateCallOutSession", dict(UserId=mail, Callee="+4930123", Callers=["+4930100", "+4930101"]), "InvalidParameterValue", "Callers"),
        ("CreateCallOutSession", dict(UserId="ghost@example.com", Callee="+4930123"), "InvalidParameterValue.AccountNotExist", "UserId"),
        ("CreateCallOutSession", dict(Callee="+4930123"), "MissingParameter", "UserId"),
        ("CreateCallOutSession", dict(UserId=mail, Callee="+4930123", UUI="x" * 1025), "InvalidParameterValue", "UUI"),
        ("DescribeTelCdr", dict(StartTimeStamp=0, EndTimeStamp=100, PageNumber=0), "MissingParameter", "PageSize"),
        ("DescribeTelCdr", dict(StartTimeStamp=0, EndTimeStamp=100, PageSize=101, PageNumber=0), "InvalidParameterValue", "PageSize"),
        ("DescribeTelCdr", dict(StartTimeStamp=0, EndTimeStamp=90 * 86400, PageSize=10, PageNumber=0), "InvalidParameterValue", "90 days"),
        ("DescribeTelCdr", dict(StartTimeStamp=0, EndTimeStamp=100, PageSize=10, PageNumber=0, Limit=10), "InvalidParameterValue", "Limit"),
        ("DescribeTelCdr", dict(StartTimeStamp="0", EndTimeStamp=100, PageSize=10, PageNumber=0), "InvalidParameter", "StartTimeStamp"),
        ("DescribeTelSession", dict(SessionId="s-999999"), "FailedOperation.SessionNotExists", "SessionId"),
        ("DescribePSTNActiveSessionList", dict(Offset=0, Limit=26), "InvalidParameterValue", "Limit"),
        ("DescribePSTNActiveSessionList", dict(Limit=5), "MissingParameter", "Offset"),
        ("HangUpCall", dict(SessionId="s-999999"), "FailedOperation.SessionNotExists", "SessionId"),
    ]
    for action, params, code, field in cases:
        error = error_of(phone_client, action, SdkAppId=SDK_APP_ID, **params)
        assert error.code == code and field in error.message, (action, params, error.code, error.message)
    # The agent is offline: the state refuses the call.
    error = error_of(phone_client, "CreateCallOutSession", SdkAppId=SDK_APP_ID, UserId=mail, Callee="+4930123")
    assert error.code == "FailedOperation.CurStateNotAllowModify", (error.code, error.message)
    # A chat is not a telephone call.
    created = admin(phone_server, "POST", "/api/v1/sessions", {"type": "im", "skillGroupId": str(group), "customer": {"nickname": "Ann"}}, expect=201)
    chat = created.get("id") or created["sessionId"]
    error = error_of(phone_client, "DescribeTelSession", SdkAppId=SDK_APP_ID, SessionId=chat)
    assert error.code == "InvalidParameterValue" and "not a telephone call" in error.message
    error = error_of(phone_client, "HangUpCall", SdkAppId=SDK_APP_ID, SessionId=chat)
    assert error.code == "InvalidParameterValue" and "chat" in error.message
    after = admin(phone_server, "GET", "/api/v1/sessions?limit=500", expect=200)["items"]
    assert len(after) == before + 1 and after[0]["state"] != "ended"
