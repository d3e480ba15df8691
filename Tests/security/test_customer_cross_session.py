"""The customer half of the authorization matrix: customer C2, holding a session and secret of its
own, uses C1's session id on every chat REST route (from /openapi.json: the operations whose
security is the session secret) and on the customer socket's `resume`, with C2's secret, with
none, with garbage and with near misses of C1's. Every attempt gets the same 404
`sessionNotFound` (so ids cannot be probed either), and C1's session does not change: not its
record and history, not its transcript, and neither C1 nor its agent hears anything.
"""

import urllib.parse

import pytest

from conftest import API_KEY, SIGNING_SECRET, AgentClient, CustomerClient, http, unique
from openapi import classify, example, operations

NOT_FOUND = {"error": {"code": "sessionNotFound", "message": "no session matches that id and secret"}}


class Chats:
    """C1 chatting with agent A over the socket; C2 with a chat of its own over REST."""

    def __init__(self, server, admin):
        self.server, self.admin = server, admin
        self.group = admin.group(unique("chat-grp"))
        self.agent_id = admin.agent([self.group])
        self.agent = AgentClient(server, admin.token(self.agent_id))
        self.agent.ok("Agent.online")
        self.c1 = CustomerClient(server)
        self.s1 = self.c1.start(self.group, nickname="First")
        self.secret1 = self.c1.secret
        self.agent.event("callIn", self.s1)
        self.agent.ok("Chat.accept", {"sessionId": self.s1})
        self.c1.send({"v": 1, "type": "message", "text": "my order number is 1207", "clientMessageId": "c-1"})
        self.agent.event("message", self.s1)
        self.agent.ok("Chat.sendMessage", {"sessionId": self.s1, "text": "thanks, looking"})
        self.c1.wait_for(lambda f: f.get("type") == "message" and f.get("from") == "agent")
        status, _, sent, text = http(server.base, "POST", f"/api/v1/chat/sessions/{self.s1}/attachments?name=order.txt",
                                     headers={"X-Session-Secret": self.secret1, "Content-Type": "text/plain"}, raw_body=b"order 1207")
        assert status == 201, text
        self.attachment1 = sent["message"]["attachment"]["attachmentId"]
        self.agent.event("message", self.s1)
        status, _, started, text = http(server.base, "POST", "/api/v1/chat/sessions", {"skillGroupId": self.group, "nickname": "Second"})
        assert status == 201, text
        self.s2, self.secret2 = started["sessionId"], started["secret"]
        self.agent.event("callIn", self.s2)

    def state(self):
        return {"session": self.admin.session(self.s1), "transcript": self.admin.transcript(self.s1),
                "agent": self.admin.get(f"/api/v1/agents/{self.agent_id}")}

    def close(self):
        self.agent.close()
        self.c1.close()


@pytest.fixture(scope="module")
def chats(server, admin):
    built = Chats(server, admin)
    yield built
    built.close()


@pytest.fixture(scope="module")
def chat_operations(server):
    status, _, document, _ = http(server.base, "GET", "/openapi.json")
    assert status == 200
    found = [(method, path, operation) for method, path, operation, security in operations(document)
             if classify(security) == "sessionSecret"]
    assert len(found) == 5, found
    return document, found


def wrong_secrets(chats):
    """Every way of not presenting C1's secret: (label, headers)."""
    s1 = chats.secret1
    return [
        ("C2's secret", {"X-Session-Secret": chats.secret2}),
        ("no secret", {}),
        ("an empty secret", {"X-Session-Secret": ""}),
        ("a garbage secret", {"X-Session-Secret": "garbage-secret-0123456789"}),
        ("C1's secret less its last character", {"X-Session-Secret": s1[:-1]}),
        ("C1's secret and one more character", {"X-Session-Secret": s1 + "A"}),
        ("C1's secret with a character changed", {"X-Session-Secret": s1[:-1] + ("A" if s1[-1] != "A" else "B")}),
        ("C1's secret in other case", {"X-Session-Secret": s1.swapcase()}),
        ("the admin key as the secret", {"X-Session-Secret": API_KEY}),
        ("the admin key as a bearer", {"Authorization": f"Bearer {API_KEY}"}),
        ("the signing secret", {"X-Session-Secret": SIGNING_SECRET}),
    ]


def test_chat_routes_refuse_another_customers_session(server, chats, chat_operations):
    document, found = chat_operations
    before = chats.state()
    c1_mark, agent_mark = chats.c1.mark(), chats.agent.mark()
    failures, sent = [], 0
    targets = [(chats.s1, wrong_secrets(chats)),
               # ids cannot be probed: a session that does not exist answers the same
               ("s-987654", [("C2's secret", {"X-Session-Secret": chats.secret2}), ("C1's secret", {"X-Session-Secret": chats.secret1}),
                             ("no secret", {})]),
               # nor is C1's secret any good on C2's session
               (chats.s2, [("C1's secret", {"X-Session-Secret": chats.secret1})])]
    for method, path, operation in found:
        body, raw, content_type = None, None, "application/json"
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = example(content["application/json"]["schema"], document, {"text": "injected"})
        elif content:
            # A file upload: an injected file of an accepted type, under a name.
            raw, content_type = b"injected file", "text/plain"
        for session, credentials in targets:
            target = path.replace("{id}", urllib.parse.quote(session)).replace("{attachmentId}", chats.attachment1)
            if raw is not None:
                target += "?name=injected.txt"
            for label, headers in credentials:
                for query in ([""] if method != "get" or "{attachmentId}" in path else ["", "?after=m-1&limit=200"]):
                    status, _, value, text = http(server.base, method.upper(), target + query, body,
                                                  {"Content-Type": content_type, **headers}, raw_body=raw)
                    sent += 1
                    if status != 404 or value != NOT_FOUND:
                        failures.append(f"{method.upper()} {target}{query} with {label}: {status} {text[:200]}")
    assert not failures, f"{len(failures)} of {sent} were not the 404 sessionNotFound:\n" + "\n".join(failures)
    assert chats.state() == before, "C1's session changed"
    assert chats.c1.since(c1_mark) == [], "C1 received something"
    assert chats.agent.since(agent_mark) == [], "C1's agent received something"
    assert sent >= 3 * 11


def test_the_customer_socket_refuses_to_resume_another_customers_session(server, chats):
    before = chats.state()
    c1_mark, agent_mark = chats.c1.mark(), chats.agent.mark()
    s1 = chats.secret1
    attempts = {
        "C2's secret": {"sessionId": chats.s1, "secret": chats.secret2},
        "a garbage secret": {"sessionId": chats.s1, "secret": "garbage-secret-0123456789"},
        "C1's secret less its last character": {"sessionId": chats.s1, "secret": s1[:-1]},
        "C1's secret in other case": {"sessionId": chats.s1, "secret": s1.swapcase()},
        "the signing secret": {"sessionId": chats.s1, "secret": SIGNING_SECRET},
        "C1's secret on C2's session": {"sessionId": chats.s2, "secret": s1},
        "a session that does not exist": {"sessionId": "s-987654", "secret": chats.secret2},
    }
    for label, fields in attempts.items():
        c2 = CustomerClient(server)
        try:
            c2.send({"v": 1, "type": "resume", **fields})
            answer = c2.wait_for(lambda f: f.get("type") in ("started", "error"), what=f"answer to resume with {label}")
            assert answer == {"v": 1, "type": "error", "code": "sessionNotFound", "message": "no session matches that id and secret"}, (label, answer)
            # Still not attached: what it sends next goes nowhere.
            mark = c2.mark()
            for frame in ({"type": "message", "text": "injected"}, {"type": "typing"}, {"type": "leave"},
                          {"type": "signal", "signal": {"kind": "offer", "sdp": "v=0\r\n"}}):
                c2.send({"v": 1, **frame})
                refusal = c2.wait_for(lambda f, m=mark: f.get("type") == "error" and f in c2.since(m), what="refusal")
                assert refusal["code"] == "unexpectedFrame", (label, frame, refusal)
                mark = c2.mark()
            # A resume without a secret, or an empty one, is a malformed frame: refused before
            # any session is looked at, so the answer cannot tell whether the session exists.
            for malformed, code in (({"sessionId": chats.s1}, "missingField"), ({"sessionId": chats.s1, "secret": ""}, "invalidValue")):
                c2.send({"v": 1, "type": "resume", **malformed})
                refusal = c2.wait_for(lambda f, m=mark: f.get("type") == "error" and f in c2.since(m), what="refusal of a malformed resume")
                assert refusal["code"] == code, (malformed, refusal)
                mark = c2.mark()
            assert not [f for f in c2.frames if f.get("type") in ("started", "message", "agentJoined", "queued")], c2.frames
        finally:
            c2.close()
    assert chats.state() == before, "C1's session changed"
    assert chats.c1.since(c1_mark) == [], "C1 received something"
    assert chats.agent.since(agent_mark) == [], "C1's agent received something"


def test_c1s_own_secret_opens_every_route(server, chats, chat_operations):
    """The control: the same routes and resume work with C1's secret, so the 404s above are about
    the secret, not the request."""
    headers = {"X-Session-Secret": chats.secret1}
    c1_again = CustomerClient(server)
    try:
        answer = c1_again.resume(chats.s1, chats.secret1)
        assert answer["type"] == "started" and answer["sessionId"] == chats.s1, answer
        c1_again.wait_for(lambda f: f.get("type") == "message" and f.get("from") == "agent")
    finally:
        c1_again.close()
    status, _, polled, text = http(server.base, "GET", f"/api/v1/chat/sessions/{chats.s1}", headers=headers)
    assert status == 200 and polled["state"] == "accepted" and len(polled["messages"]) >= 2, text
    status, _, _, text = http(server.base, "POST", f"/api/v1/chat/sessions/{chats.s1}/messages", {"text": "ok"}, headers)
    assert status == 201, text
    chats.agent.event("message", chats.s1)
    status, _, left, text = http(server.base, "POST", f"/api/v1/chat/sessions/{chats.s1}/leave", headers=headers)
    assert status == 200 and left["state"] == "ended", text
