"""The admin half of the authorization matrix, generated from the server's own /openapi.json.

Every operation that requires the admin API key is sent with no key and with each of several
wrong keys; each must answer 401 with the JSON error shape and change nothing (every admin GET
answers the same before and after). Every operation that requires no credentials must be on the
explicit list below, so an admin route added without the key fails here.
"""

import copy
import urllib.parse

import pytest

from conftest import API_KEY, METRICS_TOKEN, SIGNING_SECRET, Server, Admin, http, unique
from openapi import classify, example, operations

# The operations anyone may call, and why. A new route without a security requirement fails
# `test_every_operation_is_classified` until it is added here (or given the key).
PUBLIC = {
    ("get", "/healthz"): "liveness probe; says only 'ok'",
    ("get", "/readyz"): "readiness probe; says only whether routing is loaded",
    ("get", "/openapi.json"): "describes the API, holds no data",
    ("get", "/ws/agent"): "the agent logs in inside the socket (hello with a token or password)",
    ("get", "/ws/customer"): "customers are anonymous; a session's secret opens it inside the socket",
    ("post", "/api/v1/chat/sessions"): "anyone may start a chat; the answer is its secret",
    ("get", "/api/v1/chat/attachment-policy"): "the size limit and media types a chat's files may have: configuration, no data",
    ("get", "/api/v1/chat/ivr-prompts/{kind}/{name}"): "an IVR menu's prompt audio, what any caller to the flow hears; only the prompt library's checked names",
    ("post", "/api/v1/auth/session"): "a supervisor signs in with a password, checked and throttled as agents' are",
    ("delete", "/api/v1/auth/session"): "signing out; while a session is live it needs that session's CSRF token",
}
# Needs a supervisor's sign-in cookie and nothing else: who is signed in, for a reloaded page.
SIGNED_IN = ("get", "/api/v1/auth/session")
# Open unless `--metrics-token` is set; these tests always set it.
METRICS = ("get", "/metrics")

PHONE_NUMBER = "+4930123456"


def wrong_credentials():
    """Every way of not presenting the admin key: (label, headers)."""
    return [
        ("no credentials", {}),
        ("wrong bearer key", {"Authorization": "Bearer sbk_" + "x" * 32}),
        ("wrong X-API-Key", {"X-API-Key": "sbk_" + "y" * 32}),
        ("the key with a character missing", {"Authorization": f"Bearer {API_KEY[:-1]}"}),
        ("the key with a character added", {"X-API-Key": API_KEY + "0"}),
        ("the key in another scheme", {"Authorization": f"Basic {API_KEY}"}),
        ("an empty bearer", {"Authorization": "Bearer "}),
        ("the metrics token", {"Authorization": f"Bearer {METRICS_TOKEN}"}),
        ("the signing secret", {"Authorization": f"Bearer {SIGNING_SECRET}"}),
        ("the key in the query string", {"__query__": f"api_key={urllib.parse.quote(API_KEY)}"}),
        ("a made-up sign-in cookie", {"Cookie": "switchboard_supervisor=" + "z" * 43}),
    ]


def silent_wav(seconds=0.1):
    """A short PCM WAV of silence (8 kHz, 16 bit, mono): a prompt the server accepts."""
    import io
    import wave
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


def is_json_or_bodiless(operation):
    content = operation.get("requestBody", {}).get("content")
    return content is None or "application/json" in content


class Fixture:
    """The tenant the requests aim at: real ids, so a request that got through would act."""

    def __init__(self, admin):
        self.group = admin.group(unique("authz-grp"), name="Not The Default", wrapUpSeconds=7)
        self.other_group = admin.group(unique("authz-other"))
        self.agent = admin.agent([self.group])
        # Before the sessions below, so that its delivery log has an entry to redeliver.
        self.webhook = admin.request("POST", "/api/v1/webhooks", {"url": "https://crm.example.com/authz", "kinds": ["session.created"]},
                                     expect=201)["id"]
        self.supervisor = unique("authz-sup")
        admin.request("PUT", f"/api/v1/supervisors/{self.supervisor}", {"role": "admin", "password": "correct horse battery"}, expect=201)
        admin.request("PUT", "/api/v1/configuration", {"defaultImCapacity": 7, "imHoldSeconds": 90}, expect=200)
        admin.request("PUT", f"/api/v1/phone-numbers/{urllib.parse.quote(PHONE_NUMBER)}", {"skillGroupId": self.group}, expect=(200, 201))
        self.session = admin.request("POST", "/api/v1/sessions", {"type": "phone", "skillGroupId": self.group}, expect=201)["sessionId"]
        self.api_key = admin.request("POST", "/api/v1/api-keys", {"description": "authz"}, expect=201)["secretId"]
        self.canned_reply = admin.request("POST", "/api/v1/canned-replies", {
            "skillGroupId": self.group, "shortcut": unique("authz"), "title": "Authz", "text": "A reply a request that got through would change"},
            expect=201)["id"]
        self.flow = unique("authz-flow")
        admin.request("PUT", f"/api/v1/ivr-flows/{self.flow}", self.flow_body(), expect=201)
        self.prompt = unique("authz-prompt")
        status, _, _, text = http(admin.base, "PUT", f"/api/v1/ivr-prompts/{self.prompt}", headers={
            "Authorization": f"Bearer {API_KEY}", "Content-Type": "audio/wav"}, raw_body=silent_wav())
        assert status in (200, 201), text
        status, _, started, _ = http(admin.base, "POST", "/api/v1/chat/sessions", {"skillGroupId": self.group, "nickname": "Ann"})
        assert status == 201, started
        self.chat = started["sessionId"]
        status, _, _, text = http(admin.base, "POST", f"/api/v1/chat/sessions/{self.chat}/messages", {"text": "hello"},
                                  {"X-Session-Secret": started["secret"]})
        assert status == 201, text
        # A file in the chat (text, so every GET's body reads as text), for the attachment route.
        status, _, sent, text = http(admin.base, "POST", f"/api/v1/chat/sessions/{self.chat}/attachments?name=probe.txt",
                                     headers={"X-Session-Secret": started["secret"], "Content-Type": "text/plain"},
                                     raw_body=b"authorization probe file")
        assert status == 201, text
        self.attachment = sent["message"]["attachment"]["attachmentId"]
        self.delivery = str(admin.request("GET", f"/api/v1/webhooks/{self.webhook}/deliveries")["items"][0]["id"])

    def flow_body(self):
        """The smallest flow that saves: straight to the fixture's group."""
        return {"name": "Authz", "start": "q", "nodes": [{"id": "q", "type": "queue", "skillGroupId": self.group}]}

    def path_value(self, path, name):
        if name == "name" and path.startswith("/api/v1/ivr-prompts/"):
            return self.prompt
        if name == "skillGroupId":
            return self.group
        if name == "number":
            return urllib.parse.quote(PHONE_NUMBER, safe="")
        if name == "secretId":
            return self.api_key
        if name == "deliveryId":
            return self.delivery
        if name == "attachmentId":
            return self.attachment
        if name == "monitorId":
            # A monitor needs an answered call with its media in a page: none here, so these
            # reach their handlers and get 404 unknownMonitor (test_call_monitoring.py drives them).
            return "mon-none"
        if name == "id":
            if path.startswith("/api/v1/skill-groups/"):
                return self.group
            if path.startswith("/api/v1/agents/"):
                return self.agent
            if path.startswith("/api/v1/chat/sessions/"):
                return self.chat
            if path.startswith("/api/v1/sessions/{id}/attachments/"):
                return self.chat  # the file is in the chat
            if path.startswith("/api/v1/sessions/"):
                return self.session
            if path.startswith("/api/v1/supervisors/"):
                return self.supervisor
            if path.startswith("/api/v1/ivr-flows/"):
                return self.flow
            if path.startswith("/api/v1/webhooks/"):
                return self.webhook
            if path.startswith("/api/v1/canned-replies/"):
                return self.canned_reply
        raise AssertionError(f"{path}: no plausible value for path parameter '{name}'; teach Fixture.path_value about it")

    def plausible(self):
        """String values by field name: ones a handler would act on."""
        return {"id": unique("authz-new"), "skillGroupId": self.group, "password": "another horse battery",
                "status": "rest", "text": "probe", "number": PHONE_NUMBER, "agentId": self.agent}

    def request(self, method, path, operation, document):
        """(path with values, body or None) for one operation."""
        filled = path
        for name in [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]:
            filled = filled.replace("{" + name + "}", self.path_value(path, name))
        assert "{" not in filled, f"{path}: path parameters not declared in the document"
        body = None
        if path.startswith("/api/v1/ivr-flows/") and method == "put":
            body = self.flow_body()  # a generated flow would not hang together, and be refused
        elif path.startswith("/api/v1/phone-numbers/") and method == "put":
            body = {"skillGroupId": self.group}  # a group or a flow, not both
        elif path == "/api/v1/webhooks" and method == "post":
            body = {"url": "https://crm.example.com/authz-probe", "kinds": ["session.ended"]}  # a generated one has no kinds
        elif path.startswith("/api/v1/canned-replies") and method in ("post", "put"):
            # Whose reply it is: a group or an agent, not both (and not changed by a PUT).
            body = {"shortcut": unique("probe"), "title": "Probe", "text": "probe"}
            if method == "post":
                body["skillGroupId"] = self.group
        elif "application/json" in operation.get("requestBody", {}).get("content", {}):
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            body = example(schema, document, self.plausible())
        return filled, body


def admin_gets(document, fixture):
    """Every admin GET with the fixture's ids: together, what the admin API can see (a stream of
    events only, such as a monitor's, is no view of anything)."""
    paths = []
    for method, path, operation, security in operations(document):
        streams = list(operation.get("responses", {}).get("200", {}).get("content", {})) == ["text/event-stream"]
        if method == "get" and classify(security) == "admin" and not streams:
            paths.append(fixture.request(method, path, operation, document)[0])
    return paths


VOLATILE = {"waitedSeconds", "oldestWaitSeconds"}  # clocks: they move without anything changing


def without_clocks(value):
    if isinstance(value, dict):
        return {k: without_clocks(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [without_clocks(v) for v in value]
    return value


def snapshot(admin, paths):
    """Every admin GET's status and body, clocks left out."""
    taken = {}
    for path in paths:
        status, _, value, _ = http(admin.base, "GET", path, headers={"Authorization": f"Bearer {API_KEY}"})
        taken[path] = (status, without_clocks(value))
    return taken


@pytest.fixture(scope="module")
def document(server):
    status, _, value, text = http(server.base, "GET", "/openapi.json")
    assert status == 200, text
    return value


def test_every_operation_is_classified(document):
    """A route that needs no credentials must be on the PUBLIC list; anything else must need the
    admin key, the metrics token or a session secret."""
    seen_public, problems = set(), []
    for method, path, _, security in operations(document):
        kind = classify(security)
        if kind == "public":
            seen_public.add((method, path))
            if (method, path) not in PUBLIC:
                problems.append(f"{method.upper()} {path} declares no security requirement and is not on the PUBLIC list")
        elif kind == "optional" and (method, path) != METRICS:
            problems.append(f"{method.upper()} {path} declares an optional security requirement; only /metrics may")
        elif kind == "sessionSecret" and not path.startswith("/api/v1/chat/sessions/{id}"):
            problems.append(f"{method.upper()} {path} takes a session secret but is not a chat session route")
        elif kind == "supervisorSession" and (method, path) != SIGNED_IN:
            problems.append(f"{method.upper()} {path} takes the sign-in cookie alone; only {SIGNED_IN[0].upper()} {SIGNED_IN[1]} may")
        elif kind == "agentToken" and not path.startswith("/api/v1/agent/"):
            problems.append(f"{method.upper()} {path} takes an agent's login token but is not an agent route (/api/v1/agent/...)")
        elif kind == "tc3" and (method, path) != ("post", "/"):
            problems.append(f"{method.upper()} {path} takes a TC3 signature; only POST / (the TCCC server API) may")
        elif kind is None:
            problems.append(f"{method.upper()} {path} has security {security}, which this test does not know")
        elif kind == "admin" and not path.startswith("/api/v1/"):
            problems.append(f"{method.upper()} {path} needs the admin key outside /api/v1")
    for stale in sorted(set(PUBLIC) - seen_public):
        problems.append(f"PUBLIC lists {stale[0].upper()} {stale[1]}, which the document does not have as a public operation")
    assert not problems, "\n".join(problems)
    counts = {}
    for _, _, _, security in operations(document):
        counts[classify(security)] = counts.get(classify(security), 0) + 1
    # The document is not empty and has each kind: a broken fetch cannot pass this test.
    assert counts.get("admin", 0) >= 30 and counts.get("sessionSecret", 0) == 5 and counts.get("optional", 0) == 1, counts
    assert counts.get("supervisorSession", 0) == 1 and counts.get("agentToken", 0) == 7, counts


def test_admin_operations_refuse_missing_and_wrong_keys(server, admin, document):
    """Each admin operation × each wrong credential: 401 `unauthorized`, JSON error, nothing changed."""
    fixture = Fixture(admin)
    gets = admin_gets(document, fixture)
    before = snapshot(admin, gets)
    failures, sent = [], 0
    for method, path, operation, security in operations(document):
        if classify(security) != "admin":
            continue
        filled, body = fixture.request(method, path, operation, document)
        for label, headers in wrong_credentials():
            headers = dict(headers)
            target = filled
            if "__query__" in headers:
                target += ("&" if "?" in target else "?") + headers.pop("__query__")
            status, answer_headers, value, text = http(server.base, method.upper(), target, body, headers)
            sent += 1
            where = f"{method.upper()} {path} with {label}"
            if status != 401:
                failures.append(f"{where}: answered {status}, not 401: {text[:200]}")
                continue
            if not (isinstance(value, dict) and set(value) == {"error"} and set(value["error"]) == {"code", "message"}
                    and value["error"]["code"] == "unauthorized" and value["error"]["message"]):
                failures.append(f"{where}: the body is not {{error: {{code: unauthorized, message}}}}: {text[:200]}")
            if "application/json" not in (answer_headers.get("Content-Type") or ""):
                failures.append(f"{where}: Content-Type is {answer_headers.get('Content-Type')}")
            if not (answer_headers.get("WWW-Authenticate") or "").startswith("Bearer"):
                failures.append(f"{where}: no WWW-Authenticate: Bearer")
            if API_KEY in text:
                failures.append(f"{where}: the answer contains the admin key")
    after = snapshot(admin, gets)
    changed = [path for path in gets if before[path] != after[path]]
    assert not failures, f"{len(failures)} of {sent} refusals wrong:\n" + "\n".join(failures)
    assert not changed, "refused requests changed what these admin GETs answer: " + ", ".join(changed)
    assert sent >= 300, f"only {sent} requests were sent"
    # The snapshot covered real data, not a row of 404s (a session's media counters and its
    # recording exist only for phone calls with a phone channel and recording on).
    assert sum(1 for status, _ in before.values() if status == 200) >= len(gets) - 2, before


def test_head_requests_without_a_key_show_nothing(server, admin, document):
    """HEAD is not in the document; on an admin path it must not answer 2xx without the key."""
    fixture = Fixture(admin)
    problems = []
    for method, path, operation, security in operations(document):
        if method != "get" or classify(security) != "admin":
            continue
        filled, _ = fixture.request(method, path, operation, document)
        status, _, _, _ = http(server.base, "HEAD", filled)
        if 200 <= status < 300:
            problems.append(f"HEAD {filled} answered {status} without a key")
    assert not problems, "\n".join(problems)


def test_the_same_requests_with_the_key_reach_their_handlers(document):
    """The control: the requests the matrix sends are real ones. With the right key each is
    handled (not 401, not a server error), so the 401s above come from the key check."""
    fresh = Server()
    try:
        admin = Admin(fresh.base)
        fixture = Fixture(admin)
        gets = admin_gets(document, fixture)
        before = snapshot(admin, gets)
        problems, refused, handled, total = [], [], 0, 0
        # Deletions last, the deepest paths first, so each request finds what it names.
        for method, path, operation, security in sorted(operations(document), key=lambda o: (o[0] == "delete", -len(o[1]))):
            if classify(security) != "admin":
                continue
            if not is_json_or_bodiless(operation):
                continue  # the prompt upload (audio/wav): AdminIVRPromptTests sends it real files
            total += 1
            filled, body = fixture.request(method, path, operation, document)
            status, _, _, text = http(fresh.base, method.upper(), filled, copy.deepcopy(body), {"Authorization": f"Bearer {API_KEY}"})
            if status == 401 or status >= 500:
                problems.append(f"{method.upper()} {filled} {body}: {status} {text[:200]}")
            elif 200 <= status < 300:
                handled += 1
            else:
                refused.append(f"{method.upper()} {filled}: {status} {text[:150]}")
        assert not problems, "\n".join(problems)
        # Nearly all succeed outright; a few are refused by their handler for reasons of state
        # (media counters without a phone channel, a recording of a call never recorded, a
        # status for an offline agent, a session assigned to an offline agent, a group with live
        # sessions, a membership the empty PUT removed, a monitor of a call that is not answered
        # and the five monitor routes without a monitor): 404 or 409 naming the reason.
        assert all(r.split(": ")[1].split(" ")[0] in ("404", "409") for r in refused), "\n".join(r[:160] for r in refused)
        assert handled >= total - 12, f"{handled} of {total} succeeded; refused:\n" + "\n".join(refused)
        # And the snapshot the matrix compares sees what these requests do when they get through.
        after = snapshot(admin, gets)
        changed = {path for path in gets if before[path] != after[path]}
        assert len(changed) >= len(gets) // 2, f"only {sorted(changed)} of {gets} changed"

    finally:
        fresh.stop()
        fresh.remove()


def test_metrics_needs_the_metrics_token_and_only_it(server):
    for label, headers in wrong_credentials():
        if "__query__" in headers or label == "the metrics token":
            continue
        status, answer_headers, value, text = http(server.base, "GET", "/metrics", headers=headers)
        assert status == 401, f"/metrics with {label}: {status} {text[:200]}"
        assert value["error"]["code"] == "unauthorized", text
        assert (answer_headers.get("WWW-Authenticate") or "").startswith("Bearer")
    status, _, _, text = http(server.base, "GET", "/metrics", headers={"Authorization": f"Bearer {API_KEY}"})
    assert status == 401, "the admin key must not open /metrics"
    status, _, _, text = http(server.base, "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200 and "switchboard_" in text, text[:200]


def test_public_operations_answer_without_credentials(server, document):
    """The PUBLIC list is honest: each answers without any credential (and gives no data away)."""
    for (method, path), why in PUBLIC.items():
        if path.startswith("/ws/"):
            status, _, value, _ = http(server.base, "GET", path)
            assert status == 426 and value["error"]["code"] == "upgradeRequired", (path, status, value)
        elif path == "/api/v1/auth/session" and method == "post":
            status, _, value, text = http(server.base, "POST", path, {"userId": unique("nobody"), "password": "not a password"})
            assert status == 401 and value["error"]["code"] == "wrongCredentials", text  # checked, refused
        elif path == "/api/v1/auth/session" and method == "delete":
            status, _, _, text = http(server.base, "DELETE", path)
            assert status == 204, text  # nobody was signed in: nothing to end
        elif path.startswith("/api/v1/chat/ivr-prompts/"):
            # A well-formed name of a prompt never spoken: the handler answers, asking for nothing.
            status, _, value, text = http(server.base, "GET", "/api/v1/chat/ivr-prompts/generated/tts-" + "0" * 32 + ".wav")
            assert status == 404 and value["error"]["code"] == "promptNotFound", text
        elif method == "post":
            status, _, value, text = http(server.base, "POST", path, {"skillGroupId": "no-such-group", "nickname": "Ann"})
            assert status == 400, text  # reached the handler, which refuses the unknown group
        else:
            status, _, value, text = http(server.base, "GET", path)
            assert status == 200, f"{path} ({why}): {status} {text[:200]}"
            assert API_KEY not in text and SIGNING_SECRET not in text and METRICS_TOKEN not in text
