"""Webhook deliveries end to end: a real server commits events while a real receiver works, fails,
stalls and recovers, and the server is SIGKILLed between commit and delivery. Every event must
arrive at least once, in order per session (and per agent), with a valid signature, and a
duplicate must carry the id (and the bytes) of its original.
"""

import hashlib
import hmac
import time
from collections import defaultdict

from conftest import Agent, Server, admin, http, wait_until

SERVER_FLAGS = ["--webhooks-allow-private-addresses", "--webhook-timeout", "2", "--webhook-first-retry-delay", "1"]


def verify(secret, request):
    """The receiver's check, as docs/webhooks.md writes it: HMAC-SHA256 of "<t>.<body>"."""
    parts = dict(part.split("=", 1) for part in request["headers"]["switchboard-signature"].split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + request["raw"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300


def ordering_key(body):
    data = body["data"]
    return f"agent:{data['agentId']}" if body["kind"] == "agent.statusChanged" else f"session:{data['sessionId']}"


def delivery_log(server, webhook):
    return admin(server, "GET", f"/api/v1/webhooks/{webhook}/deliveries?limit=500", expect=200)["items"][::-1]


def start_chat(server, group, nickname):
    status, started = http(server.base, "POST", "/api/v1/chat/sessions", {"skillGroupId": group, "nickname": nickname})
    assert status == 201, started
    return started["sessionId"], started["secret"]


def say(server, session, secret, text):
    status, answer = http(server.base, "POST", f"/api/v1/chat/sessions/{session}/messages", {"text": text}, {"X-Session-Secret": secret})
    assert status in (200, 201), answer


def served_session(server, agent, group, nickname, messages):
    """A chat offered to the agent, accepted, messaged and ended by the agent."""
    session, secret = start_chat(server, group, nickname)
    agent.event("callIn", session)
    agent.request("Chat.accept", {"sessionId": session})
    for text in messages:
        say(server, session, secret, text)
    agent.request("Chat.end", {"sessionId": session})
    return session


def transferred_session(server, alice, bob, nickname):
    """A chat alice accepts and transfers to the support group, where bob accepts and ends it."""
    session, secret = start_chat(server, "sales", nickname)
    alice.event("callIn", session)
    alice.request("Chat.accept", {"sessionId": session})
    say(server, session, secret, "I need support")
    alice.request("Chat.transfer", {"sessionId": session, "skillGroupId": "support"})
    bob.event("callIn", session)
    bob.request("Chat.accept", {"sessionId": session})
    say(server, session, secret, "thanks, bob")
    bob.request("Chat.end", {"sessionId": session})
    return session


def test_every_event_arrives_in_order_through_failures_stalls_and_a_crash(workdir, receiver):
    server = Server(workdir, SERVER_FLAGS)
    try:
        admin(server, "POST", "/api/v1/skill-groups", {"id": "sales", "name": "Sales"}, expect=201)
        admin(server, "POST", "/api/v1/skill-groups", {"id": "night", "name": "Night"}, expect=201)
        admin(server, "POST", "/api/v1/skill-groups", {"id": "support", "name": "Support"}, expect=201)
        admin(server, "POST", "/api/v1/agents", {"id": "alice", "name": "Alice", "memberships": [{"skillGroupId": "sales"}]}, expect=201)
        admin(server, "POST", "/api/v1/agents", {"id": "bob", "name": "Bob", "memberships": [{"skillGroupId": "support"}]}, expect=201)
        created = admin(server, "POST", "/api/v1/webhooks", {"url": receiver.url + "/events", "kinds": [
            "session.created", "session.offered", "session.accepted", "session.transferred", "session.ended",
            "session.message", "agent.statusChanged"]}, expect=201)
        webhook, secret = created["id"], created["secret"]
        token = admin(server, "POST", "/api/v1/agents/alice/tokens", {}, expect=201)["token"]
        agent = Agent(server, token)
        agent.request("Agent.online")
        bob_token = admin(server, "POST", "/api/v1/agents/bob/tokens", {}, expect=201)["token"]
        bob = Agent(server, bob_token)
        bob.request("Agent.online")

        # 1. A receiver that works: a chat served, and one transferred from alice to bob.
        first = served_session(server, agent, "sales", "Ann", ["hello", "thanks"])
        moved = transferred_session(server, agent, bob, "Eve")
        wait_until(lambda: all(any(r["json"]["kind"] == "session.ended" and r["json"]["data"]["sessionId"] == session
                                   for r in receiver.requests()) for session in (first, moved)), "the first sessions' ends to arrive")

        # 2. A receiver that fails (503) for a while, then recovers: retried with backoff, in order.
        receiver.set("fail")
        second = served_session(server, agent, "sales", "Bob", ["is anyone there?"])
        wait_until(lambda: any(d["status"] == "pending" and d["attempts"] >= 3 for d in delivery_log(server, webhook)),
                   "three failed attempts of one delivery", timeout=30)
        failing = [d for d in delivery_log(server, webhook) if d["status"] == "pending" and d["attempts"] > 0]
        assert all("HTTP 503" in d["lastError"] and d["lastStatusCode"] == 503 and d["nextAttemptAt"] for d in failing), failing
        receiver.set("ok")
        wait_until(lambda: all(d["status"] == "delivered" for d in delivery_log(server, webhook)), "recovery after failures", timeout=60)

        # 3. A receiver that stalls longer than the server waits (2 s), then recovers.
        receiver.set("stall", stall_seconds=4)
        third = served_session(server, agent, "sales", "Cy", ["slow?"])
        wait_until(lambda: any(d["status"] == "pending" and d["attempts"] >= 2 and "no answer within 2 s" in (d["lastError"] or "")
                               for d in delivery_log(server, webhook)), "two attempts that timed out", timeout=30)
        receiver.set("ok")
        wait_until(lambda: all(d["status"] == "delivered" for d in delivery_log(server, webhook)), "recovery after stalls", timeout=60)

        # 4. Committed, sent, and the server killed before it learns the receiver got it.
        receiver.set("stall", stall_seconds=30)
        before = len(receiver.requests())
        fourth, _ = start_chat(server, "night", "Dee")
        admin(server, "POST", f"/api/v1/sessions/{fourth}/end", {"mainReason": "closing"}, expect=200)
        wait_until(lambda: any(r["json"]["data"].get("sessionId") == fourth for r in receiver.requests()[before:]), "the crash victim in flight")
        pending = [d for d in delivery_log(server, webhook) if d["orderingKey"] == f"session:{fourth}"]
        assert [d["kind"] for d in pending] == ["session.created", "session.ended"] and all(d["status"] == "pending" for d in pending)
        agent.close()
        bob.close()
        server.kill()
    except BaseException:
        server.stop()
        raise

    receiver.set("ok")
    server = Server(workdir, SERVER_FLAGS)
    try:
        wait_until(lambda: all(d["status"] == "delivered" for d in delivery_log(server, webhook)), "delivery after the restart", timeout=60)
        log = delivery_log(server, webhook)

        # Redeliver: the same event id and bytes, once more.
        redelivered = next(d for d in log if d["kind"] == "session.ended" and d["orderingKey"] == f"session:{first}")
        copy = admin(server, "POST", f"/api/v1/webhooks/{webhook}/deliveries/{redelivered['id']}/redeliver", expect=202)
        assert copy["eventId"] == redelivered["eventId"] and copy["redeliveryOf"] == redelivered["id"]
        wait_until(lambda: sum(r["json"]["id"] == redelivered["eventId"] for r in receiver.requests() if r["mode"] == "ok") >= 2,
                   "the redelivery")
        log = [d for d in delivery_log(server, webhook) if d["redeliveryOf"] is None]
    finally:
        server.stop()

    received = receiver.requests()
    # Every request is signed with the secret shown at creation, and says which event it carries.
    assert all(verify(secret, r) for r in received), [r["headers"] for r in received if not verify(secret, r)][:3]
    assert all(r["headers"]["switchboard-event-id"] == r["json"]["id"] and r["path"] == "/events" for r in received)

    # Every committed event arrived (answered by a working receiver) at least once.
    answered = [r for r in received if r["mode"] == "ok"]
    answered_ids = {r["json"]["id"] for r in answered}
    missing = [d for d in log if d["eventId"] not in answered_ids]
    assert not missing, missing

    # Duplicates are recognisable: the same id always carries the same bytes.
    by_id = defaultdict(set)
    for r in received:
        by_id[r["json"]["id"]].add(r["raw"])
    assert all(len(bodies) == 1 for bodies in by_id.values())
    duplicated = [event for event, count in _counts(r["json"]["id"] for r in received).items() if count > 1]
    assert duplicated, "failures, stalls and the crash must have made the server send some events twice"
    crash_victim = next(d["eventId"] for d in log if d["orderingKey"] == f"session:{fourth}" and d["kind"] == "session.created")
    assert sum(r["json"]["id"] == crash_victim for r in received) >= 2, "the event in flight at the kill was sent again"

    # In order per session and per agent: first arrivals follow the commit order of the log.
    committed = defaultdict(list)
    for d in log:
        committed[d["orderingKey"]].append(d["eventId"])
    for requests in (received, answered):
        arrived = defaultdict(list)
        for r in requests:
            key = ordering_key(r["json"])
            if r["json"]["id"] not in arrived[key]:
                arrived[key].append(r["json"]["id"])
        for key, events in committed.items():
            assert arrived[key] == events, f"{key}: arrived {arrived[key]}, committed {events}"

    # What each session's receiver saw, by kind, is what happened.
    kinds = defaultdict(list)
    for d in log:
        kinds[d["orderingKey"]].append(d["kind"])
    served = ["session.created", "session.offered", "session.accepted"]
    assert kinds[f"session:{first}"] == served + ["session.message"] * 2 + ["session.ended"]
    assert kinds[f"session:{second}"] == served + ["session.message", "session.ended"]
    assert kinds[f"session:{third}"] == served + ["session.message", "session.ended"]
    assert kinds[f"session:{fourth}"] == ["session.created", "session.ended"]
    # A transfer is one event between the first agent's part and the second's, offered anew.
    assert kinds[f"session:{moved}"] == served + ["session.message", "session.transferred"] + served[1:] + ["session.message", "session.ended"]
    transfer = next(r["json"]["data"] for r in answered if r["json"]["kind"] == "session.transferred")
    assert transfer == {**transfer, "sessionId": moved, "fromAgentId": "alice", "toSkillGroupId": "support"}, transfer
    assert transfer.get("toAgentId") is None, transfer
    statuses = [r["json"]["data"]["status"] for r in answered
                if r["json"]["kind"] == "agent.statusChanged" and r["json"]["data"]["agentId"] == "alice"]
    assert statuses[:3] == ["free", "busy", "free"]
    end_of_first = next(r["json"]["data"] for r in answered if r["json"]["kind"] == "session.ended" and r["json"]["data"]["sessionId"] == first)
    assert end_of_first["closeBy"] == "seat" and end_of_first["record"]["acceptedAt"] and end_of_first["record"]["endedAt"]


def _counts(items):
    counts = defaultdict(int)
    for item in items:
        counts[item] += 1
    return counts
