"""A fake telephone carrier for the tests: a small SIP user agent (UDP) with RTP, on 127.0.0.1 only.

It plays the telephone network's side of a SIP trunk. Standard library only.

    from carrier import Carrier, Answer, Busy, Challenge

    with Carrier() as carrier:
        # Calling in (the carrier is the UAC).
        call = carrier.call("+4930123456", "+4917012345", server=("127.0.0.1", sip_port))
        call.wait_for(200, timeout=10)          # 200 OK to the INVITE; the ACK is already sent
        call.start_tone(440)                    # PCMU, 20 ms packets, to the answer's m= port
        call.send_dtmf("12#")                   # RFC 4733, blocks until the digits are sent
        assert call.rtp_received.packets > 40 and call.dtmf_received == [...]
        call.hangup()                           # BYE, waits for its 200

        # Being called (the carrier is the UAS, the trunk side of outbound calls).
        carrier.on_invite = Challenge("trunk", "secret", then=Answer(after=1.0, early_media=True))
        incoming = carrier.wait_for_call(timeout=10)
        incoming.wait_for(200)

Threads: one SIP thread per carrier runs every protocol step (responses, ACKs, timers, policies);
each call has an RTP receive thread and, while it sends, an RTP send thread. Public methods lock
the carrier, so tests may call them from any thread, except that the blocking ones (wait_for,
hangup, cancel, send_dtmf, ...) must not be called from a policy (which runs on the SIP thread).
"""

import hashlib
import heapq
import itertools
import math
import random
import re
import socket
import struct
import threading
import time
import traceback

HOST = "127.0.0.1"
T1, T2 = 0.5, 4.0            # RFC 3261 timer values (s)
USER_AGENT = "switchboard-test-carrier"
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER"
DTMF_EVENTS = "0123456789*#ABCD"

# ---------------------------------------------------------------------------------------------
# SIP messages: parser and builder
# ---------------------------------------------------------------------------------------------

COMPACT = {"i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length", "c": "Content-Type",
           "f": "From", "k": "Supported", "s": "Subject", "t": "To", "v": "Via", "o": "Event", "r": "Refer-To",
           "b": "Referred-By", "x": "Session-Expires", "u": "Allow-Events", "a": "Accept-Contact",
           "j": "Reject-Contact", "d": "Request-Disposition", "y": "Identity", "n": "Identity-Info"}
_CANONICAL = {name.lower(): name for name in list(COMPACT.values()) + [
    "CSeq", "Max-Forwards", "Record-Route", "Route", "User-Agent", "Server", "Allow", "Accept", "Require",
    "Expires", "RSeq", "RAck", "WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization"]}
_LISTS = {"Via", "Route", "Record-Route", "Contact"}   # headers whose comma-separated values are separate entries


def canonical(name):
    name = name.strip()
    return COMPACT.get(name.lower(), None) if len(name) == 1 else _CANONICAL.get(name.lower(), name)


def split_commas(value):
    """Splits a header value at commas outside quotes and <...>."""
    parts, current, quoted, angle = [], "", False, False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        elif char == "," and not quoted and not angle:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


class Headers:
    """An ordered list of (name, value); names are looked up without case, compact forms expanded."""

    def __init__(self, pairs=()):
        self.pairs = [(canonical(name) or name, value) for name, value in pairs]

    def get(self, name, default=None):
        name = canonical(name) or name
        for key, value in self.pairs:
            if key.lower() == name.lower():
                return value
        return default

    def get_all(self, name):
        name = canonical(name) or name
        values = [value for key, value in self.pairs if key.lower() == name.lower()]
        if name in _LISTS:
            return [part for value in values for part in split_commas(value)]
        return values

    def add(self, name, value):
        self.pairs.append((canonical(name) or name, value))

    def __contains__(self, name):
        return self.get(name) is not None

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self):
        return iter(self.pairs)

    def __repr__(self):
        return f"Headers({self.pairs!r})"


class Message:
    """A SIP request (method, uri) or response (status, reason), its headers and body (text)."""

    def __init__(self, first_line, headers=(), body="", source=None):
        self.first_line = first_line.strip()
        self.headers = headers if isinstance(headers, Headers) else Headers(headers)
        self.body = body or ""
        self.source = source            # (host, port) it came from, for received messages
        self.time = time.time()
        parts = self.first_line.split(" ", 2)
        if parts[0].upper().startswith("SIP/"):
            self.status, self.reason, self.uri = int(parts[1]), (parts[2] if len(parts) > 2 else ""), None
        else:
            if len(parts) != 3 or not parts[2].upper().startswith("SIP/"):
                raise ValueError(f"not a SIP start line: {first_line!r}")
            self.status, self.reason, self.uri = None, None, parts[1]
            self._method = parts[0].upper()

    is_request = property(lambda self: self.status is None)
    is_response = property(lambda self: self.status is not None)

    @property
    def method(self):
        """The request's method; for a response, the method in its CSeq."""
        return self._method if self.is_request else self.cseq[1]

    @property
    def cseq(self):
        number, _, method = (self.headers.get("CSeq") or "0 ?").partition(" ")
        return int(number), method.strip().upper()

    call_id = property(lambda self: self.headers.get("Call-ID"))
    from_tag = property(lambda self: param(self.headers.get("From", ""), "tag"))
    to_tag = property(lambda self: param(self.headers.get("To", ""), "tag"))

    @property
    def branch(self):
        vias = self.headers.get_all("Via")
        return param(vias[0], "branch") if vias else None

    def encode(self):
        body = self.body.encode()
        lines = [self.first_line] + [f"{name}: {value}" for name, value in self.headers
                                     if name != "Content-Length"]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def __str__(self):
        return self.encode().decode(errors="replace")

    def __repr__(self):
        return f"<{'request ' + self.method if self.is_request else f'response {self.status} to {self.method}'}>"


def message(data, source=None):
    """Parses one SIP message (bytes or text): folded lines, compact names, Content-Length."""
    if isinstance(data, str):
        data = data.encode()
    data = data.lstrip(b"\r\n")
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    lines = re.split(r"\r?\n", head.decode("utf-8", "replace"))
    pairs = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + " " + line.strip())
        elif ":" in line:
            name, _, value = line.partition(":")
            pairs.append((name.strip(), value.strip()))
    headers = Headers(pairs)
    length = headers.get("Content-Length")
    if length is not None and length.strip().isdigit():
        body = body[:int(length)]
    return Message(lines[0], headers, body.decode("utf-8", "replace"), source)


def request(method, uri, headers, body=""):
    return Message(f"{method} {uri} SIP/2.0", headers, body)


def response(req, status, reason, to_tag=None, headers=(), body=""):
    """A response to `req`: its Vias (the top one with received/rport), From, To (+ tag), Call-ID, CSeq."""
    vias = req.headers.get_all("Via")
    if vias and req.source:
        top = re.sub(r";rport(?=;|$)", f";rport={req.source[1]}", vias[0])
        vias = [top + ("" if "received=" in top else f";received={req.source[0]}")] + vias[1:]
    to = req.headers.get("To", "")
    if to_tag and param(to, "tag") is None and status != 100:
        to += f";tag={to_tag}"
    pairs = [("Via", via) for via in vias] + [("From", req.headers.get("From", "")), ("To", to),
                                              ("Call-ID", req.call_id), ("CSeq", req.headers.get("CSeq")),
                                              ("Server", USER_AGENT)]
    return Message(f"SIP/2.0 {status} {reason}", pairs + list(headers), body)


def param(value, name):
    """A ;name=value parameter of a header (for name-addr, of the part after the URI)."""
    value = (value or "").rsplit(">", 1)[-1]
    match = re.search(r";\s*" + re.escape(name) + r"\s*=\s*([^;,\s]+)", value, re.I)
    return match.group(1).strip('"') if match else None


def uri_of(value):
    match = re.search(r"<([^>]*)>", value or "")
    return match.group(1) if match else (value or "").split(";")[0].strip()


def host_port(uri):
    """(host, port) of a SIP URI, port 5060 by default."""
    rest = uri.split(":", 1)[1] if uri.lower().startswith(("sip:", "sips:")) else uri
    rest = rest.split(";")[0].split("?")[0].rsplit("@", 1)[-1]
    host, _, port = rest.partition(":")
    return host, int(port or 5060)


def token(bits=64):
    return f"{random.getrandbits(bits):0{bits // 4}x}"


# ---------------------------------------------------------------------------------------------
# Digest authentication (RFC 2617, RFC 7616, RFC 8760)
# ---------------------------------------------------------------------------------------------

_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


def digest_response(username, password, realm, nonce, method, uri, algorithm="MD5", qop="auth",
                    nc="00000001", cnonce=""):
    base = algorithm.upper().removesuffix("-SESS")

    def h(text):
        return hashlib.new(_HASHES[base], text.encode()).hexdigest()

    ha1 = h(f"{username}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    return h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else h(f"{ha1}:{nonce}:{ha2}")


def parse_auth(value):
    """The parameters of a `Digest k=v, k="v"` header, keys lower-cased."""
    value = re.sub(r"^\s*Digest\s+", "", value or "", flags=re.I)
    return {key.lower(): (quoted if quoted is not None and plain == "" else plain)
            for key, quoted, plain in ((m.group(1), m.group(3), m.group(4) or "")
                                       for m in re.finditer(r'([\w-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|([^,\s]+))', value))}


def authorization(challenge, username, password, method, uri):
    """The Authorization value answering a WWW-/Proxy-Authenticate `challenge`."""
    c = parse_auth(challenge)
    algorithm = c.get("algorithm", "MD5")
    qop = "auth" if "auth" in [q.strip() for q in c.get("qop", "").split(",")] else None
    cnonce, nc = token(), "00000001"
    answer = digest_response(username, password, c.get("realm", ""), c["nonce"], method, uri, algorithm,
                             qop, nc, cnonce)
    fields = [f'username="{username}"', f'realm="{c.get("realm", "")}"', f'nonce="{c["nonce"]}"', f'uri="{uri}"',
              f'response="{answer}"', f"algorithm={algorithm}"]
    if qop:
        fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
    if "opaque" in c:
        fields.append(f'opaque="{c["opaque"]}"')
    return "Digest " + ", ".join(fields)


# ---------------------------------------------------------------------------------------------
# SDP and RTP
# ---------------------------------------------------------------------------------------------

def sdp(port, session, version=1, event_pt=101, direction="sendrecv", host=HOST):
    """An SDP offer/answer: PCMU/8000 (PT 0) and, unless event_pt is None, telephone-event/8000."""
    pts = "0" + (f" {event_pt}" if event_pt is not None else "")
    lines = ["v=0", f"o=carrier {session} {version} IN IP4 {host}", "s=carrier", f"c=IN IP4 {host}", "t=0 0",
             f"m=audio {port} RTP/AVP {pts}", "a=rtpmap:0 PCMU/8000"]
    if event_pt is not None:
        lines += [f"a=rtpmap:{event_pt} telephone-event/8000", f"a=fmtp:{event_pt} 0-16"]
    lines += ["a=ptime:20", f"a={direction}"]
    return "\r\n".join(lines) + "\r\n"


def parse_sdp(body):
    """{address: (ip, port) | None, payloads: [int], event_pt: int | None, direction} of the audio stream."""
    if not body or "m=audio" not in body:
        return None
    session_ip, media_ip, port, payloads, event_pt, direction, in_audio = None, None, 0, [], None, "sendrecv", False
    for line in re.split(r"\r?\n", body):
        if line.startswith("m="):
            in_audio = line.startswith("m=audio") and port == 0
            if in_audio:
                fields = line[2:].split()
                port, payloads = int(fields[1]), [int(p) for p in fields[3:] if p.isdigit()]
        elif line.startswith("c="):
            ip = line.split()[-1].split("/")[0]
            if in_audio:
                media_ip = ip
            elif port == 0:
                session_ip = ip
        elif in_audio and re.match(r"a=rtpmap:\d+ telephone-event/8000", line, re.I):
            event_pt = int(line.split(":")[1].split()[0])
        elif in_audio and line[2:] in ("sendrecv", "sendonly", "recvonly", "inactive"):
            direction = line[2:]
    ip = media_ip or session_ip
    return {"address": (ip, port) if ip and port else None, "payloads": payloads, "event_pt": event_pt,
            "direction": direction}


def ulaw(sample):
    """G.711 μ-law encoding of one signed 16-bit sample."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(int(sample)), 32635) + 0x84
    exponent = (magnitude >> 7).bit_length() - 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw_decode(byte):
    byte = ~byte & 0xFF
    magnitude = (((byte & 0x0F) << 3) + 0x84 << ((byte >> 4) & 7)) - 0x84
    return -magnitude if byte & 0x80 else magnitude


ULAW_DECODE = [_ulaw_decode(b) for b in range(256)]


class RtpCounter:
    """What one direction of a call's RTP carried."""

    def __init__(self):
        self.packets = self.bytes = self.audible = self.rtcp = 0
        self.by_type = {}            # payload type -> packets
        self.source = None           # the last sender's (host, port)

    def __repr__(self):
        return f"<RTP {self.packets} packets, {self.bytes} bytes, {self.audible} audible, by type {self.by_type}>"


class Media:
    """The RTP of one call: its own UDP socket, a receive thread, a send thread while sending."""

    def __init__(self, sock):
        self.sock = sock
        self.port = sock.getsockname()[1]
        self.remote = None            # (host, port) to send to
        self.event_pt = 101           # payload type of telephone-event we send
        self.event_pts = {101}        # payload types taken as telephone-event when received
        self.received, self.sent = RtpCounter(), RtpCounter()
        self.dtmf = []                # digits received (RFC 4733), one per event
        self._events_seen = set()
        self._lock = threading.Lock()
        self._ssrc, self._seq0, self._ts0 = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        self._t0, self._ticks = time.monotonic(), 0
        self._freq, self._phase, self._digits, self._talkspurt = None, 0.0, [], True
        self._idle = threading.Event()
        self._idle.set()
        self._sender = None
        self._closed = False
        sock.settimeout(0.2)
        threading.Thread(target=self._receive, daemon=True, name=f"rtp-recv-{self.port}").start()

    def start_tone(self, freq=440.0):
        with self._lock:
            if self._freq is None:
                self._talkspurt = True
            self._freq = float(freq)
            self._ensure_sender()

    def stop_tone(self):
        with self._lock:
            self._freq = None

    def send_dtmf(self, digits, duration=0.1, timeout=None):
        for digit in digits:
            if digit.upper() not in DTMF_EVENTS:
                raise ValueError(f"not a DTMF digit: {digit!r}")
        with self._lock:
            if self.remote is None:
                raise RuntimeError("no remote RTP address yet")
            self._digits.extend((DTMF_EVENTS.index(d.upper()), max(1, round(duration / 0.02))) for d in digits)
            self._idle.clear()
            self._ensure_sender()
        if not self._idle.wait(timeout or len(digits) * (duration + 0.2) + 2):
            raise AssertionError(f"the digits {digits!r} were not sent in time")

    def close(self):
        self._closed = True
        self.sock.close()

    def _ensure_sender(self):
        if self._sender is None and not self._closed:
            self._sender = threading.Thread(target=self._send_loop, daemon=True, name=f"rtp-send-{self.port}")
            self._sender.start()

    def _packet(self, pt, marker, timestamp, payload):
        seq = (self._seq0 + self.sent.packets) & 0xFFFF
        return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq, timestamp & 0xFFFFFFFF,
                           self._ssrc) + payload

    def _send_loop(self):
        event = None                 # [event, timestamp, packets sent, packets wanted, end packets sent]
        gap = 0
        next_at = time.monotonic()
        with self._lock:             # timestamps jump over idle periods, then advance 160 a packet
            self._ticks = max(self._ticks + 1, int((next_at - self._t0) / 0.02)) - 1
        while not self._closed:
            with self._lock:
                self._ticks += 1
                timestamp = self._ts0 + self._ticks * 160
                if event is None and self._digits and gap == 0:
                    code, wanted = self._digits.pop(0)
                    event = [code, timestamp, 0, wanted, 0]
                if event is not None:
                    code, start, done, wanted, ends = event
                    if done < wanted:
                        event[2] += 1
                        payload = struct.pack("!BBH", code, 10, event[2] * 160)
                        data = self._packet(self.event_pt, done == 0, start, payload)
                    else:
                        event[4] += 1
                        payload = struct.pack("!BBH", code, 0x80 | 10, wanted * 160)
                        data = self._packet(self.event_pt, False, start, payload)
                        if event[4] == 3:
                            event, gap = None, 3
                            self._talkspurt = True
                elif self._freq is not None:
                    step = 2 * math.pi * self._freq / 8000
                    payload = bytes(ulaw(8000 * math.sin(self._phase + i * step)) for i in range(160))
                    self._phase = (self._phase + 160 * step) % (2 * math.pi)
                    data = self._packet(0, self._talkspurt, timestamp, payload)
                    self._talkspurt = False
                else:
                    data = None
                if gap and event is None:
                    gap -= 1
                if event is None and not self._digits:
                    self._idle.set()
                    if self._freq is None and data is None:
                        self._sender = None
                        return
                remote = self.remote
            if data is not None and remote is not None:
                try:
                    self.sock.sendto(data, remote)
                    with self._lock:
                        self.sent.packets += 1
                        self.sent.bytes += len(data)
                        pt = data[1] & 0x7F
                        self.sent.by_type[pt] = self.sent.by_type.get(pt, 0) + 1
                except OSError:
                    pass
            next_at += 0.02
            now = time.monotonic()
            if next_at < now - 0.2:
                next_at = now
            time.sleep(max(0.0, next_at - now))

    def _receive(self):
        while not self._closed:
            try:
                data, source = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:              # closed, or an ICMP error reported on the socket
                if self._closed:
                    return
                time.sleep(0.01)
                continue
            with self._lock:
                counter = self.received
                counter.source = source
                if len(data) < 12 or data[0] >> 6 != 2:
                    continue
                if 192 <= data[1] <= 223:           # RTCP multiplexed on the RTP port
                    counter.rtcp += 1
                    continue
                counter.packets += 1
                counter.bytes += len(data)
                pt = data[1] & 0x7F
                counter.by_type[pt] = counter.by_type.get(pt, 0) + 1
                offset = 12 + 4 * (data[0] & 0x0F)
                if data[0] & 0x10 and len(data) >= offset + 4:
                    offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
                payload = data[offset:]
                timestamp, ssrc = struct.unpack("!II", data[4:12])
                if pt in self.event_pts and len(payload) >= 4:
                    if (ssrc, timestamp) not in self._events_seen:
                        self._events_seen.add((ssrc, timestamp))
                        code = payload[0]
                        self.dtmf.append(DTMF_EVENTS[code] if code < 16 else f"<{code}>")
                elif pt == 0 and payload:
                    power = sum(ULAW_DECODE[b] ** 2 for b in payload) / len(payload)
                    if power > 300 ** 2:            # about -40 dBFS: more than line noise
                        counter.audible += 1


# ---------------------------------------------------------------------------------------------
# Policies: what the carrier does with an INVITE it receives
# ---------------------------------------------------------------------------------------------

class Policy:
    def start(self, call):
        raise NotImplementedError


class Answer(Policy):
    """100, then 180 (or 183 with SDP and a tone as early media), then 200 OK with SDP after `after` s."""

    def __init__(self, after=0.0, early_media=False, ring=True, tone=440):
        self.after, self.early_media, self.ring, self.tone = after, early_media, ring, tone

    def start(self, call):
        if self.early_media or self.ring:
            call.ring(early_media=self.early_media, tone=self.tone)
        call.later(self.after, call.answer)


class Reject(Policy):
    """A final error response (603 Decline by default)."""

    def __init__(self, status=603, reason="Decline"):
        self.status, self.reason = status, reason

    def start(self, call):
        call.reject(self.status, self.reason)


class Busy(Reject):
    def __init__(self):
        super().__init__(486, "Busy Here")


class NoAnswer(Policy):
    """180 Ringing and nothing more (until a CANCEL, or the test calls call.answer() / call.reject())."""

    def start(self, call):
        call.ring()


class Challenge(Policy):
    """401 (or 407 if proxy) with a digest challenge; a retried INVITE with the right digest goes on to `then`.
    check_uri: the digest's uri must be the Request-URI (sipp's [authentication] leaves the user part out)."""

    def __init__(self, username, password, realm="carrier.test", algorithm="MD5", qop="auth", proxy=False,
                 then=None, check_uri=True):
        self.username, self.password, self.realm = username, password, realm
        self.algorithm, self.qop, self.proxy, self.check_uri = algorithm, qop, proxy, check_uri
        self.then = then if then is not None else Answer()
        self.nonces = set()

    def start(self, call):
        header = call.invite.headers.get("Proxy-Authorization" if self.proxy else "Authorization")
        if header is None:
            nonce = token(128)
            self.nonces.add(nonce)
            challenge = f'Digest realm="{self.realm}", nonce="{nonce}", opaque="{token()}", algorithm={self.algorithm}'
            if self.qop:
                challenge += f', qop="{self.qop}"'
            call.challenged += 1
            status, reason, name = ((407, "Proxy Authentication Required", "Proxy-Authenticate") if self.proxy
                                    else (401, "Unauthorized", "WWW-Authenticate"))
            call.respond(status, reason, headers=[(name, challenge)])
            return
        problem = self.verify(call.invite, header)
        if problem:
            call.auth_failure = problem
            call.respond(403, "Forbidden")
            return
        call.authorized = True
        self.then.start(call)

    def verify(self, invite, header):
        """None if `header` is a right answer to one of our challenges, else what is wrong."""
        a = parse_auth(header)
        checks = [(a.get("username") == self.username, f"username {a.get('username')!r}"),
                  (a.get("realm") == self.realm, f"realm {a.get('realm')!r}"),
                  (a.get("nonce") in self.nonces, "an unknown nonce"),
                  (a.get("algorithm", "MD5").upper() == self.algorithm.upper(), f"algorithm {a.get('algorithm')!r}"),
                  (a.get("uri") == invite.uri or not self.check_uri and a.get("uri"),
                   f"uri {a.get('uri')!r} is not the Request-URI {invite.uri!r}"),
                  (a.get("qop") == self.qop, f"qop {a.get('qop')!r}")]
        if self.qop:
            checks += [(bool(re.fullmatch(r"[0-9a-fA-F]{8}", a.get("nc", ""))), f"nc {a.get('nc')!r}"),
                       (bool(a.get("cnonce")), "no cnonce")]
        for ok, what in checks:
            if not ok:
                return what
        expected = digest_response(self.username, self.password, self.realm, a["nonce"], invite.method, a["uri"],
                                   self.algorithm, self.qop, a.get("nc", ""), a.get("cnonce", ""))
        return None if a.get("response", "").lower() == expected else "a wrong response digest"


# ---------------------------------------------------------------------------------------------
# Calls and the carrier
# ---------------------------------------------------------------------------------------------

class _ClientTx:
    def __init__(self, req, dest, on_response, initial=False):
        self.request, self.dest, self.on_response, self.initial = req, dest, on_response, initial
        self.method, self.branch = req.method, req.branch
        self.interval, self.deadline = T1, time.monotonic() + 64 * T1
        self.provisional = False
        self.final = None            # the final response, or "timeout"
        self.ack = None              # the ACK sent for a non-2xx final response


class _ServerTx:
    def __init__(self, req, source):
        self.request, self.source, self.method = req, source, req.method
        self.call, self.last, self.final, self.acked, self.ack_timeout = None, None, None, False, False
        self.interval, self.deadline = T1, 0.0


class Call:
    """One call: a dialog the carrier started (`outbound`, the carrier is the UAC) or received."""

    def __init__(self, carrier, outbound, media):
        self.carrier, self.outbound, self.media = carrier, outbound, media
        self.call_id = self.local_tag = self.remote_tag = None
        self.local_header = self.remote_header = self.remote_target = None
        self.route_set = []
        self.dest = None                 # where the initial INVITE went
        self.cseq = 0
        self.state = "new"               # new, calling, early, confirmed, challenged, failed, cancelled, ended
        self.responses = []              # (status, reason, Headers): received (outbound) or sent (inbound)
        self.requests = []               # requests received in this call
        self.final = None                # (status, reason) of the initial INVITE
        self.answered, self.bye_received = threading.Event(), threading.Event()
        self.acked, self.ended, self.cancel_received = threading.Event(), threading.Event(), threading.Event()
        self.info_received = []          # (content type, body) of INFO requests
        self.remote_direction = None     # a= direction attribute of the peer's last SDP
        self.local_sdp = None
        self.invite = None               # the (latest) initial INVITE received (inbound calls)
        self.auth, self.challenged, self.authorized, self.auth_failure = None, 0, False, None
        self.timed_out = False
        self._invite_tx, self._uas_invites, self._acks, self._timers = None, {}, {}, []
        self._initial_to, self._sdp_version, self._cancel_requested, self._raw = None, 1, False, set()

    # -- media -----------------------------------------------------------------------------------
    rtp_port = property(lambda self: self.media.port)
    remote_rtp = property(lambda self: self.media.remote)
    rtp_received = property(lambda self: self.media.received)   # .packets, .bytes, .audible, .by_type
    rtp_sent = property(lambda self: self.media.sent)
    dtmf_received = property(lambda self: self.media.dtmf)      # digits, e.g. ["1", "2", "#"]

    def start_tone(self, freq=440):
        if self.media.remote is None:
            raise RuntimeError("no remote RTP address yet (no SDP from the other side)")
        self.media.start_tone(freq)

    def stop_tone(self):
        self.media.stop_tone()

    def send_dtmf(self, digits, duration=0.1):
        """Sends RFC 4733 events for each digit (0-9 * # A-D); returns when all are sent."""
        self.media.send_dtmf(digits, duration)

    # -- waiting -----------------------------------------------------------------------------------
    def wait_for(self, status=200, timeout=10, method="INVITE"):
        """The first (status, reason, headers) with this status to `method`, received (outbound calls) or sent
        (inbound calls). Fails at once if an outbound call ended with another final status."""
        def found():
            for entry in self.responses:
                if entry[0] == status and entry[2].get("CSeq", "").upper().endswith(method):
                    return entry
            return None

        with self.carrier._changed:
            self.carrier._changed.wait_for(lambda: found() or (self.outbound and self.final is not None
                                                               and method == "INVITE"), timeout)
            entry = found()
        if entry is None:
            raise AssertionError(f"no {status} to the {method} of {self.call_id} (waited up to {timeout} s); "
                                 f"state {self.state}, final {self.final}, responses "
                                 f"{[(s, r) for s, r, _ in self.responses]}")
        return entry

    def wait_until(self, predicate, timeout=10, what="condition"):
        """Waits (re-checking as messages arrive and every 50 ms) until predicate() is true."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} not reached within {timeout} s (call {self.call_id}, {self.state})")
            with self.carrier._changed:
                self.carrier._changed.wait(0.05)

    # -- ending --------------------------------------------------------------------------------------
    def hangup(self, timeout=5, expect=200):
        """BYE (or CANCEL while an outbound call rings; 480 while an inbound one does); the status it got."""
        with self.carrier._lock:
            if self.outbound and self.state in ("calling", "early"):
                unanswered = True
            elif not self.outbound and self._invite_tx is not None and self._invite_tx.final is None:
                self.respond(480, "Temporarily Unavailable")
                return 480
            else:
                unanswered = False
                self.media.stop_tone()
                tx = self.carrier._in_dialog(self, "BYE")
        if unanswered:
            return self.cancel(timeout)
        status = self.carrier._wait_tx(tx, timeout)
        with self.carrier._lock:
            self.state = "ended"
            self.ended.set()
        if expect is not None and status != expect:
            raise AssertionError(f"BYE of {self.call_id} answered {status}, expected {expect}")
        return status

    def cancel(self, timeout=5, expect=487):
        """CANCEL an outbound INVITE (after its first provisional response); expects 200 for the CANCEL and
        `expect` (487) for the INVITE, which is ACKed. Returns the INVITE's final status."""
        carrier = self.carrier
        with carrier._changed:
            carrier._changed.wait_for(lambda: self._invite_tx.provisional or self.final is not None, timeout)
            if self.final is not None or not self._invite_tx.provisional:
                raise AssertionError(f"cannot CANCEL {self.call_id}: final {self.final}, state {self.state}")
            invite = self._invite_tx.request
            self._cancel_requested = True
            headers = [("Via", invite.headers.get_all("Via")[0]), ("Max-Forwards", "70"),
                       ("From", invite.headers["From"]), ("To", invite.headers["To"]), ("Call-ID", self.call_id),
                       ("CSeq", f"{invite.cseq[0]} CANCEL"), ("User-Agent", USER_AGENT)]
            headers += [("Route", r) for r in invite.headers.get_all("Route")]
            tx = carrier._start_tx(request("CANCEL", invite.uri, headers), self._invite_tx.dest,
                                   self._on_other_response)
        cancel_status = carrier._wait_tx(tx, timeout)
        with carrier._changed:
            carrier._changed.wait_for(lambda: self.final is not None, timeout)
            final = self.final
        if cancel_status != 200 and not (final and final[0] < 300 and cancel_status == 481):
            raise AssertionError(f"CANCEL of {self.call_id} answered {cancel_status}, expected 200")
        if final is None:
            raise AssertionError(f"the INVITE of {self.call_id} got no final response after CANCEL")
        if expect is not None and final[0] != expect:
            raise AssertionError(f"the cancelled INVITE of {self.call_id} ended with {final}, expected {expect}")
        return final[0]

    # -- in-dialog requests ----------------------------------------------------------------------------
    def reinvite(self, direction="sendrecv", timeout=5):
        """A re-INVITE with our SDP (a=sendonly to hold, sendrecv to resume); its final status."""
        with self.carrier._lock:
            self._sdp_version += 1
            self.local_sdp = sdp(self.rtp_port, self._session, self._sdp_version, self.media.event_pt, direction)
            tx = self.carrier._invite(self)
        return self.carrier._wait_tx(tx, timeout)

    def send_request(self, method, body="", content_type=None, timeout=5):
        """An in-dialog INFO, UPDATE, OPTIONS, ... ; its final status."""
        with self.carrier._lock:
            tx = self.carrier._in_dialog(self, method, body, content_type)
        return self.carrier._wait_tx(tx, timeout)

    # -- answering an inbound call (policies use these; tests may too) -----------------------------
    def respond(self, status, reason, headers=(), body=""):
        """Sends a response to the pending INVITE (retransmitted until ACK if final)."""
        with self.carrier._lock:
            tx = self._invite_tx
            if tx is None or tx.final is not None:
                return False
            extra = list(headers)
            if body:
                extra.append(("Content-Type", "application/sdp"))
            if 100 < status < 300:
                extra += [("Contact", self.carrier.contact), ("Allow", ALLOW)]
            self.carrier._reply(tx, status, reason, extra, body)
            if status >= 300:
                self.final = (status, reason)
                self.state = "challenged" if status in (401, 407) else "failed"
                self._stop_timers()
                self.media.stop_tone()
            return True

    def ring(self, early_media=False, tone=440):
        """180 Ringing, or 183 Session Progress with SDP and (if tone) a tone as early media."""
        with self.carrier._lock:
            if early_media:
                if self.respond(183, "Session Progress", body=self.local_sdp) and tone and self.media.remote:
                    self.media.start_tone(tone)
            else:
                self.respond(180, "Ringing")
            if self.state == "new":
                self.state = "early"

    def answer(self):
        """200 OK with SDP; retransmitted until the ACK arrives."""
        with self.carrier._lock:
            if self.respond(200, "OK", body=self.local_sdp):
                self.final, self.state = (200, "OK"), "confirmed"
                self.answered.set()

    def reject(self, status=603, reason="Decline"):
        self.respond(status, reason)

    def later(self, delay, action):
        """Runs action() on the SIP thread after `delay` s, unless the call is cancelled first."""
        with self.carrier._lock:
            self._timers.append(self.carrier._after(delay, action))

    def _stop_timers(self):
        for timer in self._timers:
            timer[2] = None
        self._timers = []

    # -- responses to what this call sent (SIP thread) --------------------------------------------
    @property
    def _session(self):
        return int(self.call_id.encode().hex()[:8], 16) if self.call_id else 0

    def _learn_sdp(self, body):
        offer = parse_sdp(body)
        if offer is None:
            return None
        self.remote_direction = offer["direction"]
        if offer["address"]:
            self.media.remote = offer["address"]
        if offer["event_pt"] is not None:
            self.media.event_pt = offer["event_pt"]
            self.media.event_pts.add(offer["event_pt"])
        return offer

    def _record(self, msg):
        raw = msg.encode()
        if raw in self._raw:
            return False          # a retransmission
        self._raw.add(raw)
        self.responses.append((msg.status, msg.reason, msg.headers))
        return True

    def _on_other_response(self, tx, msg, retransmission):
        if not retransmission and self.outbound:
            self._record(msg)

    def _on_invite_response(self, tx, msg, retransmission):
        carrier = self.carrier
        if retransmission:
            if tx.branch in self._acks:
                carrier._send(self._acks[tx.branch], self._ack_dest())
            return
        self._record(msg)
        status = msg.status
        if status < 200:
            if status > 100 and tx.initial:
                self.state = "early"
                if msg.to_tag:
                    self.remote_header, self.remote_tag = msg.headers["To"], msg.to_tag
                self._learn_sdp(msg.body)
            return
        if status < 300:
            if tx.initial:
                self.remote_header, self.remote_tag = msg.headers["To"], msg.to_tag
                self.route_set = list(reversed(msg.headers.get_all("Record-Route")))
            contact = msg.headers.get("Contact")
            if contact:
                self.remote_target = uri_of(contact)
            self._learn_sdp(msg.body)
            ack = request("ACK", self.remote_target, [
                ("Via", carrier._via()), ("Max-Forwards", "70"), ("From", self.local_header),
                ("To", self.remote_header), ("Call-ID", self.call_id), ("CSeq", f"{tx.request.cseq[0]} ACK"),
                *[("Route", r) for r in self.route_set], ("User-Agent", USER_AGENT)])
            self._acks[tx.branch] = ack
            carrier._send(ack, self._ack_dest())
            if tx.initial:
                self.final, self.state = (status, msg.reason), "confirmed"
                self.answered.set()
                if self._cancel_requested:        # the 200 crossed our CANCEL: end the call
                    carrier._in_dialog(self, "BYE")
                    self.state = "ended"
            return
        if not tx.initial:
            return
        if status in (401, 407) and self.auth and self.challenged < 3:
            self.challenged += 1
            name = "WWW-Authenticate" if status == 401 else "Proxy-Authenticate"
            answer = authorization(msg.headers.get(name, ""), self.auth[0], self.auth[1], "INVITE",
                                   tx.request.uri)
            self.remote_header = self._initial_to
            carrier._invite(self, [("Authorization" if status == 401 else "Proxy-Authorization", answer)])
            return
        self.final = (status, msg.reason)
        self.state = "cancelled" if status == 487 else "failed"
        self.ended.set()

    def _ack_dest(self):
        return host_port(uri_of(self.route_set[0])) if self.route_set else host_port(self.remote_target)

    def __repr__(self):
        return (f"<Call {'out' if self.outbound else 'in'} {self.call_id} {self.state} "
                f"responses={[s for s, _, _ in self.responses]} rtp_in={self.rtp_received.packets}>")


class Carrier:
    """A SIP UA on UDP 127.0.0.1:sip_port with RTP ports from rtp_port (0: any free port)."""

    def __init__(self, sip_port=0, rtp_port=0, host=HOST, user="carrier", on_invite=None):
        self.host, self.user = host, user
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind((host, sip_port))
        self.sip_port = self.sip.getsockname()[1]
        self.address = (host, self.sip_port)
        self.contact = f"<sip:{user}@{host}:{self.sip_port}>"
        self._next_rtp = rtp_port
        self._spare_rtp = self._bind_rtp()
        self.rtp_port = self._spare_rtp.getsockname()[1]       # the first call's RTP port
        self.on_invite = on_invite if on_invite is not None else Answer()
        self.received = []           # every Message received
        self.sent = []               # every (Message, (host, port)) sent
        self.calls = []              # every Call, both directions
        self.registrations = []      # REGISTER requests received
        self.errors = []             # tracebacks of exceptions on the SIP thread (tests may assert it is empty)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._timers, self._order = [], itertools.count()
        self._client_tx, self._server_tx = {}, {}
        self._dialogs, self._uas_calls = {}, {}
        self._handed_out = 0
        self._closing = False
        self._thread = threading.Thread(target=self._loop, daemon=True, name=f"carrier-sip-{self.sip_port}")
        self._thread.start()

    # -- public API ------------------------------------------------------------------------------
    def call(self, to_number, from_number, server, auth=None, headers=()):
        """Sends an INVITE (SDP offer: PCMU + telephone-event) to server=(host, port). auth=(user, password)
        answers 401/407 challenges. Returns the Call at once; use call.wait_for(200)."""
        with self._lock:
            host, port = server
            call = Call(self, True, self._new_media())
            call.call_id, call.local_tag = f"{token(96)}@{self.host}", token()
            call.local_header = f"<sip:{from_number}@{self.host}>;tag={call.local_tag}"
            call.remote_header = call._initial_to = f"<sip:{to_number}@{host}:{port}>"
            call.remote_target, call.dest = f"sip:{to_number}@{host}:{port}", tuple(server)
            call.auth, call.state = auth, "calling"
            call.local_sdp = sdp(call.rtp_port, call._session)
            call._extra_headers = list(headers)
            self._dialogs[(call.call_id, call.local_tag)] = call
            self.calls.append(call)
            self._invite(call)
            return call

    def options(self, server, timeout=5):
        """An out-of-dialog OPTIONS to server=(host, port); its status (None if no answer)."""
        with self._lock:
            host, port = server
            headers = [("Via", self._via()), ("Max-Forwards", "70"),
                       ("From", f"<sip:{self.user}@{self.host}>;tag={token()}"),
                       ("To", f"<sip:{host}:{port}>"), ("Call-ID", f"{token(96)}@{self.host}"), ("CSeq", "1 OPTIONS"),
                       ("Contact", self.contact), ("Accept", "application/sdp"), ("User-Agent", USER_AGENT)]
            tx = self._start_tx(request("OPTIONS", f"sip:{host}:{port}", headers), tuple(server), lambda *a: None)
        return self._wait_tx(tx, timeout)

    def wait_for_call(self, timeout=10):
        """The next call the carrier received (in arrival order)."""
        with self._changed:
            inbound = lambda: [c for c in self.calls if not c.outbound]
            if not self._changed.wait_for(lambda: len(inbound()) > self._handed_out, timeout):
                raise AssertionError(f"no INVITE reached the carrier within {timeout} s")
            self._handed_out += 1
            return inbound()[self._handed_out - 1]

    def requests(self, method):
        """The requests received with this method."""
        with self._lock:
            return [m for m in self.received if m.is_request and m.method == method.upper()]

    def close(self):
        self._closing = True
        self._thread.join(2)
        with self._lock:
            for call in self.calls:
                call.media.close()
            if self._spare_rtp:
                self._spare_rtp.close()
            self.sip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plumbing ----------------------------------------------------------------------------------
    def _bind_rtp(self):
        port = self._next_rtp
        for _ in range(100):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.bind((self.host, port))
            except OSError:
                sock.close()
                if port == 0:
                    raise
                port += 2
                continue
            if port:
                self._next_rtp = port + 2
            return sock
        raise OSError(f"no free RTP port from {self._next_rtp}")

    def _new_media(self):
        sock, self._spare_rtp = (self._spare_rtp, None) if self._spare_rtp else (self._bind_rtp(), None)
        return Media(sock)

    def _via(self):
        return f"SIP/2.0/UDP {self.host}:{self.sip_port};branch=z9hG4bK{token(80)};rport"

    def _send(self, msg, dest):
        self.sent.append((msg, dest))
        self.sip.sendto(msg.encode(), dest)

    def _after(self, delay, action):
        timer = [time.monotonic() + delay, next(self._order), action]
        heapq.heappush(self._timers, timer)
        return timer

    def _loop(self):
        self.sip.settimeout(0.02)
        while not self._closing:
            try:
                data, source = self.sip.recvfrom(65535)
            except socket.timeout:
                data = None
            except OSError:
                if self._closing:
                    return
                data = None
                time.sleep(0.01)
            with self._changed:
                try:
                    if data and data.strip(b"\r\n\0 "):
                        msg = message(data, source)
                        self.received.append(msg)
                        (self._on_request if msg.is_request else self._on_response)(msg)
                except Exception:
                    self.errors.append(traceback.format_exc())
                while self._timers and self._timers[0][0] <= time.monotonic():
                    action = heapq.heappop(self._timers)[2]
                    if action is not None:
                        try:
                            action()
                        except Exception:
                            self.errors.append(traceback.format_exc())
                self._changed.notify_all()

    def _wait_tx(self, tx, timeout):
        with self._changed:
            self._changed.wait_for(lambda: tx.final is not None, timeout)
            return tx.final.status if isinstance(tx.final, Message) else None

    # client transactions (RFC 3261 17.1: Timer A/B for INVITE, E/F otherwise)
    def _start_tx(self, req, dest, on_response, initial=False):
        tx = _ClientTx(req, dest, on_response, initial)
        self._client_tx[(tx.branch, tx.method)] = tx
        self._send(req, dest)
        self._after(T1, lambda: self._retransmit_request(tx))
        return tx

    def _retransmit_request(self, tx):
        if tx.final is not None or (tx.method == "INVITE" and tx.provisional):
            return
        if time.monotonic() >= tx.deadline:
            tx.final = "timeout"
            if tx.initial:
                call = self._dialogs.get((tx.request.call_id, tx.request.from_tag))
                if call:
                    call.timed_out, call.state, call.final = True, "failed", (408, "Timeout (no response)")
                    call.ended.set()
            return
        self._send(tx.request, tx.dest)
        tx.interval = tx.interval * 2 if tx.method == "INVITE" else min(tx.interval * 2, T2)
        if tx.provisional:
            tx.interval = T2
        self._after(min(tx.interval, max(0.0, tx.deadline - time.monotonic())), lambda: self._retransmit_request(tx))

    def _on_response(self, msg):
        tx = self._client_tx.get((msg.branch, msg.method))
        if tx is None:
            return
        if msg.status < 200:
            tx.provisional = True
            if tx.final is None:
                tx.on_response(tx, msg, False)
            return
        retransmission = tx.final is not None
        if tx.method == "INVITE" and msg.status >= 300:
            if tx.ack is None:
                invite = tx.request
                tx.ack = request("ACK", invite.uri, [
                    ("Via", invite.headers.get_all("Via")[0]), ("Max-Forwards", "70"), ("From", invite.headers["From"]),
                    ("To", msg.headers["To"]), ("Call-ID", invite.call_id), ("CSeq", f"{invite.cseq[0]} ACK"),
                    *[("Route", r) for r in invite.headers.get_all("Route")], ("User-Agent", USER_AGENT)])
            self._send(tx.ack, tx.dest)
        if not retransmission:
            tx.final = msg
        tx.on_response(tx, msg, retransmission)

    def _invite(self, call, extra=()):
        """Sends the call's initial INVITE (again, with credentials) or a re-INVITE; the transaction."""
        call.cseq += 1
        initial = call.state not in ("confirmed", "ended")
        uri = call.remote_target
        headers = [("Via", self._via()), ("Max-Forwards", "70"), ("From", call.local_header),
                   ("To", call.remote_header), ("Call-ID", call.call_id), ("CSeq", f"{call.cseq} INVITE"),
                   ("Contact", self.contact), *[("Route", r) for r in call.route_set], ("Allow", ALLOW),
                   ("User-Agent", USER_AGENT), *extra, *getattr(call, "_extra_headers", []),
                   ("Content-Type", "application/sdp")]
        dest = call.dest if initial else call._ack_dest()
        tx = self._start_tx(request("INVITE", uri, headers, call.local_sdp), dest, call._on_invite_response, initial)
        if initial:
            call._invite_tx = tx
        return tx

    def _in_dialog(self, call, method, body="", content_type=None):
        call.cseq += 1
        headers = [("Via", self._via()), ("Max-Forwards", "70"), ("From", call.local_header),
                   ("To", call.remote_header), ("Call-ID", call.call_id), ("CSeq", f"{call.cseq} {method}"),
                   *[("Route", r) for r in call.route_set], ("User-Agent", USER_AGENT)]
        if method in ("UPDATE", "INFO", "OPTIONS"):
            headers.append(("Contact", self.contact))
        if body:
            headers.append(("Content-Type", content_type or "application/sdp"))
        return self._start_tx(request(method, call.remote_target, headers, body), call._ack_dest(),
                              call._on_other_response)

    # server side (RFC 3261 17.2; 2xx and non-2xx finals retransmitted T1, 2T1, ... T2 until ACK)
    def _reply(self, tx, status, reason, headers=(), body=""):
        to_tag = tx.call.local_tag if tx.call else token()
        resp = response(tx.request, status, reason, to_tag, headers, body)
        tx.last = resp
        self._send(resp, tx.source)
        if tx.call and not tx.call.outbound:
            tx.call._record(resp)
        if status >= 200:
            tx.final = resp
            if tx.method == "INVITE":
                tx.interval, tx.deadline = T1, time.monotonic() + 64 * T1
                self._after(T1, lambda: self._retransmit_response(tx))

    def _retransmit_response(self, tx):
        if tx.acked or self._closing:
            return
        if time.monotonic() >= tx.deadline:
            tx.ack_timeout = True
            return
        self._send(tx.last, tx.source)
        tx.interval = min(tx.interval * 2, T2)
        self._after(tx.interval, lambda: self._retransmit_response(tx))

    def _on_request(self, msg):
        if msg.method == "ACK":
            return self._on_ack(msg)
        key = (msg.branch or f"{msg.call_id}|{msg.cseq}|{msg.from_tag}", msg.method)
        tx = self._server_tx.get(key)
        if tx is not None:                      # a retransmission
            if tx.last is not None:
                self._send(tx.last, tx.source)
            return
        tx = self._server_tx[key] = _ServerTx(msg, msg.source)
        if msg.method == "CANCEL":
            return self._on_cancel(tx)
        if msg.to_tag:
            call = self._dialogs.get((msg.call_id, msg.to_tag))
            if call is None:
                return self._reply(tx, 481, "Call/Transaction Does Not Exist")
            call.requests.append(msg)
            tx.call = call
            return self._on_in_dialog(call, tx)
        if msg.method == "INVITE":
            return self._on_new_invite(tx)
        if msg.method == "OPTIONS":
            return self._reply(tx, 200, "OK", [("Allow", ALLOW), ("Accept", "application/sdp")])
        if msg.method == "REGISTER":
            self.registrations.append(msg)
            contacts = [(("Contact", c + ("" if "expires" in c else ";expires=" + msg.headers.get("Expires", "3600"))))
                        for c in msg.headers.get_all("Contact")]
            return self._reply(tx, 200, "OK", contacts)
        if msg.method in ("BYE", "INFO", "UPDATE", "PRACK"):
            return self._reply(tx, 481, "Call/Transaction Does Not Exist")
        return self._reply(tx, 405, "Method Not Allowed", [("Allow", ALLOW)])

    def _on_new_invite(self, tx):
        msg = tx.request
        call = self._uas_calls.get(msg.call_id)
        if call is None or call.state != "challenged":
            call = Call(self, False, self._new_media())
            call.call_id, call.local_tag = msg.call_id, token()
            self._dialogs[(call.call_id, call.local_tag)] = call
            self._uas_calls[call.call_id] = call
            self.calls.append(call)
        call.state, call.final, call.invite = "new", None, msg
        call.remote_header, call.remote_tag = msg.headers.get("From", ""), msg.from_tag
        call.local_header = msg.headers.get("To", "") + f";tag={call.local_tag}"
        call.remote_target = uri_of(msg.headers.get("Contact", "")) or f"sip:{msg.source[0]}:{msg.source[1]}"
        call.route_set = msg.headers.get_all("Record-Route")
        call.requests.append(msg)
        call._invite_tx, tx.call = tx, call
        call._uas_invites[msg.cseq[0]] = tx
        if call.cseq == 0:
            call.cseq = random.randint(1, 10000)
        offer = call._learn_sdp(msg.body)
        self._reply(tx, 100, "Trying")
        if offer is not None and 0 not in offer["payloads"]:
            return call.respond(488, "Not Acceptable Here")
        event_pt = offer["event_pt"] if offer else 101
        if call.local_sdp is None:
            call.local_sdp = sdp(call.rtp_port, call._session, 1, event_pt)
        policy = self.on_invite
        if not isinstance(policy, Policy) and callable(policy):
            policy = policy(call)
        policy.start(call)

    def _on_cancel(self, tx):
        invite_tx = self._server_tx.get((tx.request.branch, "INVITE"))
        if invite_tx is None or invite_tx.call is None:
            return self._reply(tx, 481, "Call/Transaction Does Not Exist")
        call = invite_tx.call
        tx.call = call
        call.requests.append(tx.request)
        self._reply(tx, 200, "OK")
        if invite_tx.final is None:
            call.cancel_received.set()
            call.respond(487, "Request Terminated")
            call.state = "cancelled"
            call.ended.set()

    def _on_ack(self, msg):
        tx = self._server_tx.get((msg.branch, "INVITE"))
        call = self._dialogs.get((msg.call_id, msg.to_tag))
        if (tx is None or tx.final is None or tx.final.status < 300) and call is not None:
            tx = call._uas_invites.get(msg.cseq[0])
        if tx is None:
            return
        tx.acked = True
        if tx.call is not None:
            tx.call.requests.append(msg)
            if tx.final is not None and tx.final.status < 300:
                tx.call._learn_sdp(msg.body)
                tx.call.acked.set()

    def _on_in_dialog(self, call, tx):
        msg, method = tx.request, tx.request.method
        if method == "BYE":
            self._reply(tx, 200, "OK")
            if call._invite_tx is not None and not call.outbound and call._invite_tx.final is None:
                call.respond(487, "Request Terminated")
            call.media.stop_tone()
            call.state = "ended"
            call.bye_received.set()
            call.ended.set()
        elif method in ("INVITE", "UPDATE"):
            if method == "INVITE":
                call._uas_invites[msg.cseq[0]] = tx
            had_sdp = call._learn_sdp(msg.body) is not None
            body = call.local_sdp if (had_sdp or method == "INVITE") else ""
            extra = [("Contact", self.contact), ("Allow", ALLOW)]
            extra += [("Content-Type", "application/sdp")] if body else []
            self._reply(tx, 200, "OK", extra, body)
        elif method == "INFO":
            call.info_received.append((msg.headers.get("Content-Type"), msg.body))
            self._reply(tx, 200, "OK")
        elif method in ("OPTIONS", "NOTIFY", "MESSAGE", "PRACK"):
            self._reply(tx, 200, "OK", [("Allow", ALLOW)] if method == "OPTIONS" else [])
        else:
            self._reply(tx, 501, "Not Implemented", [("Allow", ALLOW)])
