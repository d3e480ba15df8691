"""The agent half of the authorization matrix: agent B, logged in with a token of its own, sends
every session-scoped SDK request (and every call signal) on sessions that ring at or are held by
other agents. Each must be refused, and nothing about those sessions may change: not their admin
record and history, not their transcript, not the agents holding them, and neither the agents nor
the customers may receive anything.

The methods come from the server (the list in its `unknownMethod` answer); each must be classified
below, so a method added to the protocol fails this test until it is.
"""

import re
import time

import pytest

from conftest import AgentClient, CustomerClient, unique


def session_methods(b_group, b_user):
    """Every method that acts on one session, with each way of calling it: params given the session id."""
    one = lambda sid: {"sessionId": sid}  # noqa: E731
    transfers = [lambda sid: {"sessionId": sid, "skillGroupId": b_group}, lambda sid: {"sessionId": sid, "userId": b_user}]
    return {
        "Chat.accept": [one],
        "Chat.end": [one],
        "Chat.transfer": transfers,
        "Chat.sendMessage": [lambda sid: {"sessionId": sid, "text": "injected by another agent"}],
        "Chat.getMessages": [one, lambda sid: {"sessionId": sid, "order": "newest", "limit": 200}],
        "Chat.typing": [one],
        "Call.accept": [one],
        "Call.hungUp": [one],
        "Call.transfer": transfers,
        "Call.hold": [one],
        "Call.unHold": [one],
        "Call.sendDigits": [lambda sid: {"sessionId": sid, "dtmfText": "1#"}],
        "Video.accept": [one],
        "Video.end": [one],
        "Video.transfer": transfers,
        "Agent.getTransferTargets": [one],
        "Chat.getWrapUp": [one],
        "Chat.wrapUp": [lambda sid: {"sessionId": sid, "dispositionCode": "Resolved", "note": "injected by another agent"}],
    }


# Session-scoped methods whose session is optional: without one they read what the logged-in
# agent may see anyway (and succeed), so they cannot ask for params.sessionId first.
OPTIONAL_SESSION = {
    "Agent.getTransferTargets": "whom the logged-in agent may transfer to; with a sessionId, only a session it holds",
}


# Methods that act on the agent itself (the login decides which), or start something new: not
# session-scoped, so not part of the cross-session matrix.
AGENT_SCOPED = {
    "Agent.online": "the logged-in agent's own status",
    "Agent.offline": "the logged-in agent's own status",
    "Agent.setStatus": "the logged-in agent's own status",
    "Agent.getStatus": "the logged-in agent's own status",
    "Call.startInternalCall": "places a new call from the logged-in agent",
    "Call.startOutboundCall": "places a new phone call from the logged-in agent",
    "CannedReplies.list": "the logged-in agent's own canned replies and its groups'",
    "CannedReplies.save": "creates or changes one of the logged-in agent's own canned replies (another's is refused as unknown)",
    "CannedReplies.delete": "deletes one of the logged-in agent's own canned replies (another's is refused as unknown)",
    "ping": "the connection itself",
}

SIGNALS = [
    {"kind": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"},
    {"kind": "answer", "sdp": "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"},
    {"kind": "candidate", "candidate": {"candidate": "candidate:1 1 udp 2122260223 192.0.2.4 50010 typ host", "sdpMid": "0", "sdpMLineIndex": 0}},
]


class Tenant:
    """Sessions in every state another agent could reach for, each at its own agent (an agent
    holds one call at a time), and the attacker B in a group of its own."""

    def __init__(self, server, admin, track):
        self.server, self.admin, self.track = server, admin, track
        self.victims = {}     # agent id -> AgentClient
        self.customers = {}   # session name -> CustomerClient
        self.sessions = {}    # session name -> (session id, holding or ringing agent id)
        self.groups = {}      # victim role -> its skill group
        self.b_group = admin.group(unique("b-grp"))
        self.b_user = admin.agent([self.b_group], unique("agent-b"))
        self.attacker = self.online(self.b_user)

        im = self.victim("im")
        first = self.customer("im held", im)
        self.accept(im, first, "Chat.accept")
        self.customers["im held"].send({"v": 1, "type": "message", "text": "where is my parcel?"})
        im.event("message", first)
        im.ok("Chat.sendMessage", {"sessionId": first, "text": "it left today"})
        self.customer("im ringing", im)

        voip = self.victim("voip")
        held_call = self.customer("voip held on hold", voip, "voip")
        self.accept(voip, held_call, "Call.accept")
        voip.ok("Call.hold", {"sessionId": held_call})
        self.customers["voip held on hold"].wait_for(lambda f: f.get("type") == "signal" and f["signal"]["kind"] == "hold")

        video = self.victim("video")
        self.accept(video, self.customer("video held", video, "video"), "Video.accept")
        self.customer("voip ringing", self.victim("voip-ring"), "voip")
        self.customer("video ringing", self.victim("video-ring"), "video")

        phone = self.victim("phone")
        phone_session = admin.request("POST", "/api/v1/sessions", {"type": "phone", "skillGroupId": self.groups["phone"]},
                                      expect=201)["sessionId"]
        self.sessions["phone held"] = (phone_session, phone.user)
        phone.event("callIn", phone_session)
        self.accept(phone, phone_session, "Call.accept")

        caller, callee = self.victim("internal-caller"), self.victim("internal-callee")
        internal = caller.ok("Call.startInternalCall", {"calleeUserId": callee.user})["sessionId"]
        callee.event("callIn", internal)
        self.accept(callee, internal, "Call.accept")
        caller.event("calloutAccepted", internal)
        self.sessions["internal placed by one agent, held by another"] = (internal, callee.user)
        self.callers = {internal: caller.user}

    def victim(self, role):
        group = self.admin.group(unique(f"{role}-grp"))
        self.groups[role] = group
        agent = self.online(self.admin.agent([group], unique(f"agent-{role}")))
        agent.role = role
        self.victims[agent.user] = agent
        return agent

    def online(self, user):
        agent = self.track(AgentClient(self.server, self.admin.token(user)))
        agent.ok("Agent.online")
        return agent

    def customer(self, name, agent, session_type=None):
        customer = self.track(CustomerClient(self.server))
        session = customer.start(self.groups[agent.role], nickname=name.title(), session_type=session_type)
        self.customers[name] = customer
        self.sessions[name] = (session, agent.user)
        agent.event("callIn", session)
        return session

    @staticmethod
    def accept(agent, session, method):
        agent.ok(method, {"sessionId": session})
        agent.event("userAccessed", session)

    def state(self):
        """What the admin API and the agents themselves say about the sessions and their agents."""
        taken = {}
        for name, (session, agent) in self.sessions.items():
            record = self.admin.session(session)
            taken[name] = {
                "session": record,
                "transcript": self.admin.transcript(session),
                "agent": self.admin.get(f"/api/v1/agents/{agent}"),
            }
        taken["attacker"] = self.admin.get(f"/api/v1/agents/{self.b_user}")
        return taken

    def agents_view(self):
        """Each victim's own view: the welcome of a new connection (sessions, status), less clocks."""
        views = {}
        for user in self.victims:
            fresh = AgentClient(self.server, self.admin.token(user))
            try:
                welcome = fresh.welcome
                views[user] = {"status": welcome["status"], "placedCalls": welcome.get("placedCalls"),
                               "sessions": [{k: v for k, v in s.items() if k != "timeout"} for s in welcome["sessions"]]}
            finally:
                fresh.close()
        return views


@pytest.fixture(scope="module")
def tenant(server, admin):
    opened = []

    def track(socket):
        opened.append(socket)
        return socket

    built = Tenant(server, admin, track)
    yield built
    for socket in opened:
        socket.close()


def server_methods(agent):
    """The methods the server dispatches, from its own answer to an unknown one."""
    response = agent.call("Authz.probe")
    assert response["status"] == "error", response
    match = re.search(r"the methods are (.+)$", response["errorMsg"])
    assert match, response["errorMsg"]
    return [name.strip() for name in match.group(1).split(",")]


def test_every_server_method_is_classified(tenant):
    methods = server_methods(tenant.attacker)
    scoped = session_methods(tenant.b_group, tenant.b_user)
    unknown = [m for m in methods if m not in scoped and m not in AGENT_SCOPED]
    assert not unknown, f"the server dispatches {unknown}, which this matrix does not classify: add them to session_methods or AGENT_SCOPED"
    assert set(methods) == set(scoped) | set(AGENT_SCOPED), "the classification names methods the server no longer has"
    # The server agrees which methods take a session: each asks for params.sessionId first.
    for method in scoped:
        response = tenant.attacker.call(method, {})
        if method in OPTIONAL_SESSION:
            assert response["status"] == "success", (method, response)
            continue
        assert response["status"] == "error" and "params.sessionId" in response["errorMsg"], (method, response)


def test_another_agent_cannot_act_on_a_session(tenant):
    b = tenant.attacker
    before, views_before = tenant.state(), tenant.agents_view()
    marks = {user: agent.mark() for user, agent in tenant.victims.items()}
    customer_marks = {name: customer.mark() for name, customer in tenant.customers.items()}
    b_mark = b.mark()

    failures, sent = [], 0
    methods = session_methods(tenant.b_group, tenant.b_user)
    for name, (session, holder) in tenant.sessions.items():
        for method, variants in methods.items():
            for params in variants:
                response = b.call(method, params(session))
                sent += 1
                if response["status"] != "error" or not response.get("errorMsg"):
                    failures.append(f"{method} {params(session)} on '{name}' ({holder}'s) was not refused: {response}")
                elif "data" in response:
                    failures.append(f"{method} on '{name}' was refused but answered data: {response}")
        # Stay within the server's frame rate (50 a second, bursts of 200): the matrix is about
        # who may act, and a rate-limited frame would be refused for the wrong reason.
        time.sleep(0.5)
        for signal in SIGNALS:
            mark = b.mark()
            b.send({"v": 1, "type": "signal", "sessionId": session, "signal": signal})
            sent += 1
            answer = b.wait_for(lambda f, m=mark: f.get("type") == "error" and f in b.since(m), what=f"refusal of a {signal['kind']} signal")
            if "signal not sent" not in answer.get("message", ""):
                failures.append(f"a {signal['kind']} signal on '{name}' got {answer}")
    assert not failures, f"{len(failures)} of {sent} cross-session requests were not refused:\n" + "\n".join(failures)

    after, views_after = tenant.state(), tenant.agents_view()
    for name in before:
        assert after[name] == before[name], f"'{name}' changed:\nbefore {before[name]}\nafter  {after[name]}"
    assert views_after == views_before, "the victims' own view of their sessions changed"
    for user, agent in tenant.victims.items():
        heard = [f for f in agent.since(marks[user]) if not (f.get("type") == "event" and f.get("name") == "ready")]
        assert not heard, f"agent {user} received something during the attack: {heard}"
    for name, customer in tenant.customers.items():
        heard = customer.since(customer_marks[name])
        assert not heard, f"the customer of '{name}' received something during the attack: {heard}"
    leaked = [f for f in b.since(b_mark) if f.get("type") in ("event", "signal")]
    assert not leaked, f"agent B received events or signals of others' sessions: {leaked}"
    assert sent >= len(tenant.sessions) * 20, sent


def test_the_refused_requests_work_for_the_agent_in_the_session(tenant):
    """The control: each method the matrix sends succeeds when the agent in that session sends
    it, so the refusals above are about who sent them, not how."""
    sessions = {name: session for name, (session, _) in tenant.sessions.items()}
    agents = {user: agent for user, agent in tenant.victims.items()}
    holder = {name: agents[user] for name, (_, user) in tenant.sessions.items()}
    done = set()

    def ok(name, method, params=None):
        holder[name].ok(method, {"sessionId": sessions[name], **(params or {})})
        done.add(method)

    ok("im held", "Chat.getMessages")
    ok("im held", "Agent.getTransferTargets")
    ok("im held", "Chat.typing")
    tenant.customers["im held"].wait_for(lambda f: f.get("type") == "agentTyping")
    ok("im held", "Chat.sendMessage", {"text": "anything else?"})
    ok("voip held on hold", "Call.unHold")
    ok("voip held on hold", "Call.hold")
    ok("voip held on hold", "Call.sendDigits", {"dtmfText": "1#"})
    tenant.customers["voip held on hold"].wait_for(lambda f: f.get("type") == "signal" and f["signal"]["kind"] == "dtmf")
    mark = holder["video held"].mark()
    holder["video held"].send({"v": 1, "type": "signal", "sessionId": sessions["video held"], "signal": SIGNALS[0]})
    tenant.customers["video held"].wait_for(lambda f: f.get("type") == "signal" and f["signal"]["kind"] == "offer")
    assert not [f for f in holder["video held"].since(mark) if f.get("type") == "error"]
    ok("im ringing", "Chat.accept")
    ok("voip ringing", "Call.accept")
    ok("video ringing", "Video.accept")
    ok("im held", "Chat.transfer", {"userId": tenant.b_user})
    ok("voip held on hold", "Call.transfer", {"skillGroupId": tenant.b_group})
    ok("video ringing", "Video.transfer", {"skillGroupId": tenant.b_group})
    ok("im ringing", "Chat.end")
    ok("im ringing", "Chat.getWrapUp")
    ok("im ringing", "Chat.wrapUp", {"note": "handled by its agent"})
    ok("video held", "Video.end")
    ok("phone held", "Call.hungUp")
    methods = set(session_methods(tenant.b_group, tenant.b_user))
    assert done == methods, f"no control for {methods - done}"



def test_an_ended_transcript_stays_closed_to_other_agents(tenant):
    """After the control ended it, the agent who held the chat may still read its transcript
    (wrap-up); B may not, nor act on it."""
    session, holder = tenant.sessions["im ringing"]
    page = tenant.victims[holder].ok("Chat.getMessages", {"sessionId": session})
    assert page["sessionId"] == session
    for method, params in (("Chat.getMessages", {"sessionId": session}), ("Chat.sendMessage", {"sessionId": session, "text": "x"}),
                           ("Chat.end", {"sessionId": session}), ("Chat.getWrapUp", {"sessionId": session}),
                           ("Chat.wrapUp", {"sessionId": session, "note": "not mine"})):
        response = tenant.attacker.call(method, params)
        assert response["status"] == "error" and "data" not in response, (method, response)


def _b64(data):
    import base64
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header, claims, key=None):
    import hashlib
    import hmac
    import json
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(key, head.encode(), hashlib.sha256).digest()) if key else ""
    return head + "." + signature


def test_a_token_logs_in_only_the_agent_it_was_issued_to(server, admin, tenant):
    """B cannot become another agent: not by naming it beside its own token, nor by editing the
    token's subject, dropping its signature or signing it with another key."""
    import base64
    import json
    victim = next(iter(tenant.victims))
    token = admin.token(tenant.b_user)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = victim
    attempts = {
        "B's token naming the victim as userId": {"token": token, "userId": victim},
        "B's token with the subject changed": {"token": f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"},
        "an unsigned token (alg none) for the victim": {"token": _forge({"alg": "none", "typ": "JWT"}, claims)},
        "a token for the victim signed with another key": {"token": _forge({"alg": "HS256", "typ": "JWT"}, claims, b"not the signing secret")},
        "the victim's user id and no password": {"userId": victim},
    }
    from conftest import Socket
    for label, hello in attempts.items():
        socket = Socket(server.ws_base + "/ws/agent")
        try:
            socket.send({"v": 1, "type": "hello", **hello})
            answer = socket.wait_for(lambda f: f.get("type") in ("welcome", "error"), what=f"answer to {label}")
            assert answer["type"] == "error" and answer["code"] == "notAuthenticated", f"{label}: {answer}"
        finally:
            socket.close()
