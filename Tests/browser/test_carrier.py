"""Tests of the fake carrier (carrier.py) itself: against sipp, against another carrier, and by hand.

They need `sipp` (Debian package sip-tester) but not the server or chromium, so they also run with
`python3 -m pytest --noconftest test_carrier.py` on a machine where the server is not built.
"""

import re
import shutil
import socket
import subprocess
import time

import pytest

from carrier import (Answer, Busy, Carrier, Challenge, NoAnswer, Reject, ULAW_DECODE, digest_response, message,
                     parse_auth, parse_sdp, ulaw)

# ---------------------------------------------------------------------------------------------
# sipp
# ---------------------------------------------------------------------------------------------


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sipp:
    """One sipp process on 127.0.0.1, always stopped (by its pid) when the test ends."""

    def __init__(self, directory, *args):
        self.port = free_udp_port()
        self.log = directory / f"sipp-{self.port}.log"
        command = ["sipp", "-i", "127.0.0.1", "-p", str(self.port), "-m", "1", "-nostdin",
                   "-timeout", "12s", "-timeout_error", "-trace_err", *args]
        self.process = subprocess.Popen(command, cwd=directory, stdin=subprocess.DEVNULL,
                                        stdout=open(self.log, "wb"), stderr=subprocess.STDOUT)
        self.address = ("127.0.0.1", self.port)
        time.sleep(0.3)   # sipp binds its socket

    def output(self):
        return self.log.read_text(errors="replace")

    def wait(self, timeout=12):
        """sipp's exit code (0: every call succeeded) and its count of successful calls."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"sipp did not finish within {timeout} s:\n{self.output()[-3000:]}")
        counts = re.findall(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", self.output())
        return code, int(counts[-1]) if counts else None

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def sipp(tmp_path):
    if shutil.which("sipp") is None:
        pytest.fail("sipp is missing: `apt-get install -y sip-tester`")
    started = []

    def start(*args):
        started.append(Sipp(tmp_path, *args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def carriers():
    made = []

    def make(**options):
        made.append(Carrier(**options))
        return made[-1]

    yield make
    for carrier in made:
        carrier.close()
        assert carrier.errors == [], "the carrier's SIP thread failed:\n" + "\n".join(carrier.errors)


def statuses(call, method="INVITE"):
    return [s for s, _, headers in call.responses if headers.get("CSeq", "").endswith(method)]


def growth(counter, seconds=1.0):
    before = counter.packets
    time.sleep(seconds)
    return counter.packets - before


UAC_WITH_DIGEST = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac answering a digest challenge">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
]]></send>
  <recv response="100" optional="true"/>
  <recv response="401" auth="true"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 2 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
[authentication username=trunk password=s3cret]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  <pause milliseconds="300"/>
  <send retrans="500"><![CDATA[
BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 3 BYE
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>
</scenario>
"""

UAS_VERIFYING_DIGEST = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas challenging and verifying a digest">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 401 Unauthorized
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
WWW-Authenticate: Digest realm="sipp.test", nonce="5f3b2c1a9d8e7f60", algorithm=MD5, qop="auth"
Content-Length: 0
]]></send>
  <recv request="ACK"/>
  <recv request="INVITE">
    <action><verifyauth assign_to="authvalid" username="trunk" password="s3cret"/></action>
  </recv>
  <nop hide="true" test="authvalid" next="good"/>
  <send><![CDATA[
SIP/2.0 403 Forbidden
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
  <recv request="ACK"/>
  <recv request="NEVER" timeout="100"/>
  <label id="good"/>
  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
</scenario>
"""

# ---------------------------------------------------------------------------------------------
# Pieces
# ---------------------------------------------------------------------------------------------


def test_the_parser_reads_compact_forms_folded_lines_several_vias_and_content_length():
    raw = ("INVITE sip:+4930123@127.0.0.1:5060 SIP/2.0\r\n"
           "v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKtop;rport, SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKmid\r\n"
           "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlow\r\n"
           "f: \"Caller, Esq.\" <sip:+4917@127.0.0.1>;tag=abc\r\n"
           "t: <sip:+4930123@127.0.0.1>\r\n"
           "i: call-1@127.0.0.1\r\n"
           "CSeq: 7 INVITE\r\n"
           "m: <sip:sb@127.0.0.1:5070;transport=udp>\r\n"
           "Subject: a header folded\r\n  over two lines\r\n"
           "c: application/sdp\r\n"
           "l: 4\r\n\r\n"
           "v=0\r\ntrailing garbage")
    msg = message(raw.encode(), ("127.0.0.1", 5070))
    assert msg.is_request and msg.method == "INVITE" and msg.uri == "sip:+4930123@127.0.0.1:5060"
    assert msg.headers.get_all("Via") == ["SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKtop;rport",
                                          "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKmid",
                                          "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlow"]
    assert msg.branch == "z9hG4bKtop" and msg.from_tag == "abc" and msg.to_tag is None
    assert msg.call_id == "call-1@127.0.0.1" and msg.cseq == (7, "INVITE")
    assert msg.headers["content-type"] == "application/sdp" and msg.headers["Subject"] == "a header folded over two lines"
    assert msg.body == "v=0\r"
    again = message(msg.encode())
    assert again.headers.get_all("Via") == msg.headers.get_all("Via") and again.body == msg.body
    ok = message("SIP/2.0 200 OK\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n")
    assert ok.is_response and ok.status == 200 and ok.reason == "OK" and ok.method == "INVITE"


def test_sdp_parsing_finds_the_audio_address_and_telephone_event():
    body = ("v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 30000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=sendonly\r\n")
    assert parse_sdp(body) == {"address": ("127.0.0.1", 30000), "payloads": [8, 0, 96], "event_pt": 96,
                               "direction": "sendonly"}


def test_digests_match_the_rfc_examples():
    # RFC 2617 section 3.5
    assert digest_response("Mufasa", "Circle Of Life", "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                           "GET", "/dir/index.html", "MD5", "auth", "00000001", "0a4f113b") \
        == "6629fae49393a05397450978507c4ef1"
    # RFC 7616 section 3.9.1
    args = ("Mufasa", "Circle of Life", "http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            "GET", "/dir/index.html")
    cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    assert digest_response(*args, "MD5", "auth", "00000001", cnonce) == "8ca523f5e9506fed4657c9700eebdbec"
    assert digest_response(*args, "SHA-256", "auth", "00000001", cnonce) \
        == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    assert parse_auth('Digest realm="a, b", nonce="n", qop="auth,auth-int", algorithm=MD5') \
        == {"realm": "a, b", "nonce": "n", "qop": "auth,auth-int", "algorithm": "MD5"}


def test_the_ulaw_encoder_is_g711():
    assert [ulaw(s) for s in (0, -1, 32767, -32768, 1000, -1000)] == [0xFF, 0x7F, 0x80, 0x00, 0xCE, 0x4E]
    for sample in range(-32768, 32768, 7):
        decoded = ULAW_DECODE[ulaw(sample)]
        assert abs(decoded - max(-32124, min(32124, sample))) <= max(4, abs(sample) // 16), sample

# ---------------------------------------------------------------------------------------------
# Against sipp
# ---------------------------------------------------------------------------------------------


def test_sipp_uas_answers_the_carriers_invite_and_echoes_its_tone(sipp, carriers):
    uas = sipp("-sn", "uas", "-rtp_echo", "-mp", str(free_udp_port()))
    carrier = carriers()
    call = carrier.call("+4930123456", "+4917012345", server=uas.address)
    status, reason, headers = call.wait_for(200, timeout=5)
    assert statuses(call) == [180, 200] and call.remote_tag and call.remote_rtp[1] > 0
    invite = next(m for m, _ in carrier.sent if m.is_request and m.method == "INVITE")
    assert invite.branch.startswith("z9hG4bK") and ";rport" in invite.headers["Via"]
    assert invite.from_tag and invite.call_id and invite.headers["Max-Forwards"] == "70"
    assert parse_sdp(invite.body)["address"] == ("127.0.0.1", call.rtp_port)
    call.wait_until(lambda: any(m.method == "ACK" for m, _ in carrier.sent), 2, "the ACK")
    ack = next(m for m, _ in carrier.sent if m.method == "ACK")
    assert ack.to_tag == call.remote_tag and ack.branch != invite.branch and ack.cseq == (1, "ACK")

    call.start_tone(440)
    time.sleep(0.5)
    assert growth(call.rtp_received) > 40          # sipp echoes the carrier's packets back
    assert call.rtp_received.by_type == {0: call.rtp_received.packets} and call.rtp_received.audible > 40
    assert call.hangup() == 200
    code, successful = uas.wait()
    assert (code, successful) == (0, 1), uas.output()[-3000:]


def test_sipp_uac_calls_the_carrier_which_answers(sipp, carriers):
    carrier = carriers()
    carrier.on_invite = Answer(after=0.3)
    uac = sipp("-sn", "uac", "-s", "+4930123456", f"127.0.0.1:{carrier.sip_port}")
    code, successful = uac.wait()
    assert (code, successful) == (0, 1), uac.output()[-3000:]
    call = carrier.wait_for_call(1)
    assert statuses(call) == [100, 180, 200]
    assert call.acked.is_set() and call.bye_received.is_set() and call.state == "ended"
    assert [m.method for m in call.requests] == ["INVITE", "ACK", "BYE"]


def test_sipp_uac_answers_the_carriers_digest_challenge(sipp, carriers, tmp_path):
    carrier = carriers()
    # sipp's digest uri is sip:host:port, without the Request-URI's user part.
    carrier.on_invite = Challenge("trunk", "s3cret", realm="carrier.test", then=Answer(after=0.2), check_uri=False)
    scenario = tmp_path / "uac_digest.xml"
    scenario.write_text(UAC_WITH_DIGEST)
    uac = sipp("-sf", str(scenario), "-s", "+4930123456", f"127.0.0.1:{carrier.sip_port}")
    code, successful = uac.wait()
    assert (code, successful) == (0, 1), uac.output()[-3000:]
    call = carrier.wait_for_call(1)
    assert call.challenged == 1 and call.authorized and call.auth_failure is None
    assert statuses(call) == [100, 401, 100, 180, 200]
    invites = carrier.requests("INVITE")
    assert "Authorization" not in invites[0].headers and "Authorization" in invites[1].headers
    assert [m.cseq[0] for m in invites] == [1, 2]


def test_a_wrong_password_is_refused_with_403(carriers):
    trunk, caller = carriers(), carriers()
    trunk.on_invite = Challenge("trunk", "s3cret", then=Answer())
    call = caller.call("+4930123456", "+4917012345", server=trunk.address, auth=("trunk", "wrong"))
    call.wait_for(403, timeout=5)
    assert call.final == (403, "Forbidden") and trunk.wait_for_call(1).auth_failure == "a wrong response digest"


def test_sipp_uas_verifies_the_carriers_digest(sipp, carriers, tmp_path):
    scenario = tmp_path / "uas_digest.xml"
    scenario.write_text(UAS_VERIFYING_DIGEST)
    uas = sipp("-sf", str(scenario))
    carrier = carriers()
    call = carrier.call("+4930123456", "+4917012345", server=uas.address, auth=("trunk", "s3cret"))
    call.wait_for(200, timeout=5)
    assert statuses(call) == [401, 200]
    assert call.hangup() == 200
    code, successful = uas.wait()
    assert (code, successful) == (0, 1), uas.output()[-3000:]

# ---------------------------------------------------------------------------------------------
# Carrier to carrier
# ---------------------------------------------------------------------------------------------


def test_two_carriers_challenge_answer_with_early_media_tones_both_ways_and_dtmf(carriers):
    trunk, caller = carriers(), carriers()
    trunk.on_invite = Challenge("trunk", "s3cret", realm="trunk.test", algorithm="SHA-256", proxy=True,
                                then=Answer(after=1.0, early_media=True, tone=425))
    call = caller.call("+4930123456", "+4917012345", server=trunk.address, auth=("trunk", "s3cret"))
    call.wait_for(183, timeout=5)
    time.sleep(0.5)
    assert call.final is None and call.rtp_received.audible > 10          # early media before the answer
    call.wait_for(200, timeout=5)
    incoming = trunk.wait_for_call(1)
    assert incoming.authorized and statuses(call) == [100, 407, 100, 183, 200]
    invites = trunk.requests("INVITE")
    assert len(invites) == 2 and "Proxy-Authorization" in invites[1].headers
    assert parse_auth(invites[1].headers["Proxy-Authorization"])["algorithm"] == "SHA-256"
    assert [m.cseq[0] for m in invites] == [1, 2] and invites[0].call_id == invites[1].call_id
    assert invites[0].from_tag == invites[1].from_tag and invites[0].branch != invites[1].branch
    incoming.acked.wait(2)
    assert incoming.acked.is_set()

    incoming.start_tone(425)
    call.start_tone(440)
    time.sleep(0.2)
    assert growth(call.rtp_received) > 40 and growth(incoming.rtp_received) > 40
    call.send_dtmf("123#")
    incoming.send_dtmf("9*")
    call.wait_until(lambda: incoming.dtmf_received == list("123#") and call.dtmf_received == list("9*"), 2, "DTMF")
    assert call.rtp_sent.by_type[101] >= 4 * 8      # 5 packets + 3 end packets a digit

    assert call.hangup() == 200
    assert incoming.bye_received.wait(1) and incoming.state == "ended"


def test_busy_decline_and_a_cancelled_ringing_call(carriers):
    trunk, caller = carriers(), carriers()
    trunk.on_invite = lambda call: {"+1": Busy(), "+2": Reject(), "+3": NoAnswer()}[
        re.search(r"sip:([^@]+)@", call.invite.uri).group(1)]
    busy = caller.call("+1", "+4917012345", server=trunk.address)
    declined = caller.call("+2", "+4917012345", server=trunk.address)
    ringing = caller.call("+3", "+4917012345", server=trunk.address)
    busy.wait_for(486, timeout=3)
    declined.wait_for(603, timeout=3)
    ringing.wait_for(180, timeout=3)
    assert ringing.cancel() == 487
    assert statuses(ringing, "CANCEL") == [200] and statuses(ringing) == [100, 180, 487]
    calls = {c.invite.uri.split("@")[0][4:]: c for c in trunk.calls}
    for number in ("+1", "+2", "+3"):
        calls[number].wait_until(lambda: any(m.method == "ACK" for m in calls[number].requests), 2, "the ACK")
    assert calls["+3"].cancel_received.is_set() and calls["+3"].state == "cancelled"
    assert caller.options(trunk.address) == 200


def test_in_dialog_requests_and_a_hangup_from_the_trunk_side(carriers):
    trunk, caller = carriers(), carriers()
    call = caller.call("+4930123456", "+4917012345", server=trunk.address)
    call.wait_for(200, timeout=3)
    incoming = trunk.wait_for_call(1)
    assert call.reinvite("sendonly") == 200 and incoming.remote_direction == "sendonly"
    incoming.wait_until(lambda: len(incoming._uas_invites) == 2 and all(t.acked for t in incoming._uas_invites.values()),
                        2, "the ACK of the re-INVITE")
    assert call.send_request("INFO", "Signal=5\r\nDuration=160\r\n", "application/dtmf-relay") == 200
    assert incoming.info_received == [("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n")]
    assert call.send_request("UPDATE", call.local_sdp) == 200 and call.send_request("OPTIONS") == 200
    assert incoming.hangup() == 200                 # BYE from the trunk side
    assert call.bye_received.wait(1) and call.state == "ended"


def test_calls_at_once_each_have_their_own_rtp_port(carriers):
    trunk, caller = carriers(), carriers()
    calls = [caller.call(f"+{n}", "+4917012345", server=trunk.address) for n in range(3)]
    for call in calls:
        call.wait_for(200, timeout=3)
    incoming = [trunk.wait_for_call(1) for _ in calls]
    assert len({c.rtp_port for c in calls + incoming}) == 6
    for n, call in enumerate(calls):
        call.start_tone(400 + 100 * n)
    time.sleep(1.0)
    for peer in incoming:
        assert peer.rtp_received.packets > 40 and peer.rtp_received.source[1] in {c.rtp_port for c in calls}
    for call in calls:
        assert call.hangup() == 200

# ---------------------------------------------------------------------------------------------
# Timers, by hand
# ---------------------------------------------------------------------------------------------


def test_an_unanswered_invite_is_retransmitted_per_timer_a(carriers):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.settimeout(0.1)
        carrier = carriers()
        start = time.monotonic()
        carrier.call("+4930123456", "+4917012345", server=silent.getsockname())
        arrivals = []
        while time.monotonic() - start < 3.8:
            try:
                data, _ = silent.recvfrom(65535)
                arrivals.append((time.monotonic() - start, message(data)))
            except socket.timeout:
                pass
    assert len(arrivals) == 4, [round(t, 2) for t, _ in arrivals]   # at 0, 0.5, 1.5 and 3.5 s
    assert len({m.branch for _, m in arrivals}) == 1 and all(m.method == "INVITE" for _, m in arrivals)
    gaps = [b - a for (a, _), (b, _) in zip(arrivals, arrivals[1:])]
    assert [round(g * 2) / 2 for g in gaps] == [0.5, 1.0, 2.0], gaps


def test_the_200_ok_is_retransmitted_until_the_ack(carriers):
    carrier = carriers()
    carrier.on_invite = Answer(ring=False)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind(("127.0.0.1", 0))
        peer.settimeout(0.1)
        host, port = peer.getsockname()
        invite = message(f"INVITE sip:+4930123456@127.0.0.1 SIP/2.0\r\n"
                         f"Via: SIP/2.0/UDP {host}:{port};branch=z9hG4bKhand1;rport\r\n"
                         f"From: <sip:+4917@{host}>;tag=hand\r\nTo: <sip:+4930123456@127.0.0.1>\r\n"
                         f"Call-ID: hand-1\r\nCSeq: 1 INVITE\r\nContact: <sip:hand@{host}:{port}>\r\n"
                         f"Content-Type: application/sdp\r\n\r\n"
                         f"v=0\r\no=- 1 1 IN IP4 {host}\r\ns=-\r\nc=IN IP4 {host}\r\nt=0 0\r\n"
                         f"m=audio 9 RTP/AVP 0\r\n")
        peer.sendto(invite.encode(), carrier.address)
        start, oks = time.monotonic(), []

        def collect(until):
            while time.monotonic() - start < until:
                try:
                    reply = message(peer.recv(65535))
                    if reply.status == 200:
                        oks.append((time.monotonic() - start, reply))
                except socket.timeout:
                    pass

        collect(1.8)                       # 200 OK at 0, 0.5 and 1.5 s
        assert len(oks) == 3, [round(t, 2) for t, _ in oks]
        ok = oks[0][1]
        assert ok.to_tag and parse_sdp(ok.body)["address"][1] > 0
        assert "received=127.0.0.1" in ok.headers["Via"] and f"rport={port}" in ok.headers["Via"]
        ack = (f"ACK sip:carrier@127.0.0.1:{carrier.sip_port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP {host}:{port};branch=z9hG4bKhand2;rport\r\n"
               f"From: <sip:+4917@{host}>;tag=hand\r\nTo: {ok.headers['To']}\r\n"
               f"Call-ID: hand-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n")
        peer.sendto(ack.encode(), carrier.address)
        collect(4.0)                       # the next one would have been at 3.5 s
        assert len(oks) == 3
    assert carrier.wait_for_call(1).acked.is_set()
