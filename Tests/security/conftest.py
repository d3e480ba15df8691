"""Authorization matrix tests: the real `switchboard` server as a child process on 127.0.0.1,
driven over HTTP (urllib) and WebSockets (the `websockets` package) the way an attacker would.

Environment:
  SWITCHBOARD_BIN   the server binary (default: <repo>/.build/debug/switchboard)
"""

import itertools
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Fresh for every run, so no test can pass by knowing a fixed secret.
API_KEY = "sbk_" + secrets.token_urlsafe(24)
# Prefixed: a value starting with "-" (one run in 64) reads as an option to the command line.
SIGNING_SECRET = "sbs_" + secrets.token_urlsafe(48)
METRICS_TOKEN = "metrics-" + secrets.token_urlsafe(18)
_ids = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{next(_ids)}"


def pytest_sessionstart(session):
    problems = []
    binary = Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard"))
    if not binary.is_file() or not os.access(binary, os.X_OK):
        problems.append(f"the server binary {binary} is missing: run `swift build` in {REPO}, or set SWITCHBOARD_BIN")
    try:
        import websockets.sync.client  # noqa: F401
    except ImportError:
        problems.append("the websockets package is missing: `pip install websockets`")
    if problems:
        pytest.exit("cannot run the security tests:\n  " + "\n  ".join(problems), returncode=2)


class Server:
    """One `switchboard serve` on a free loopback port, stopped by its pid: by default with an
    empty tenant and this run's secrets; `configured_secrets=False` lets it generate its own,
    `demo=True` has it create the demo tenant, `data` reuses another server's data directory."""

    def __init__(self, extra_args=(), log_level="info", env=None, configured_secrets=True, demo=False, data=None):
        self.dir = Path(tempfile.mkdtemp(prefix="switchboard-security-"))
        source = Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard"))
        # A copy, so a concurrent `swift build` cannot swap the binary under a running suite.
        self.binary = self.dir / "switchboard"
        shutil.copy2(source, self.binary)
        self.data = Path(data) if data else self.dir / "data"
        self.stdout_path = self.dir / "stdout.log"
        self.stderr_path = self.dir / "stderr.log"
        self.stderr = open(self.stderr_path, "wb")
        self.stdout_lines = []
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(self.data),
             *(["--api-key", API_KEY, "--signing-secret", SIGNING_SECRET, "--metrics-token", METRICS_TOKEN] if configured_secrets else []),
             *([] if demo else ["--no-demo"]), "--log-level", log_level, *extra_args],
            stdout=subprocess.PIPE, stderr=self.stderr, cwd=self.dir,
            env={**os.environ, **(env or {})})
        self.base = self._wait_for_address()
        self.ws_base = self.base.replace("http://", "ws://")

    def _wait_for_address(self):
        found = {}

        def read():
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace")
                self.stdout_lines.append(line)
                match = re.search(r"Switchboard is listening on (http://127\.0\.0\.1:\d+)", line)
                if match and "base" not in found:
                    found["base"] = match.group(1)

        threading.Thread(target=read, daemon=True).start()
        deadline = time.time() + 30
        while time.time() < deadline and "base" not in found:
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        if "base" not in found:
            self.stop()
            raise RuntimeError("the server did not start; it wrote:\n" + self.stderr_path.read_text(errors="replace")[-4000:])
        return found["base"]

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, 9)
                self.process.wait(10)
        self.stderr.close()

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def http(base, method, path, body=None, headers=None, raw_body=None):
    """One HTTP request; returns (status, headers, parsed JSON or None, text)."""
    data = raw_body if raw_body is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, answer_headers, text = response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        status, answer_headers, text = error.code, error.headers, error.read().decode()
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = None
    return status, answer_headers, value, text


class Admin:
    """The admin REST API with the right key (docs/admin-api.md)."""

    def __init__(self, base):
        self.base = base

    def request(self, method, path, body=None, expect=None):
        status, _, value, text = http(self.base, method, path, body, {"Authorization": f"Bearer {API_KEY}"})
        # `expect` is a status or a tuple of statuses (a PUT creates, 201, or replaces, 200).
        if expect is not None and status not in (expect if isinstance(expect, tuple) else (expect,)):
            raise AssertionError(f"{method} {path} answered {status}, not {expect}: {text}")
        return value

    def get(self, path):
        return self.request("GET", path, expect=200)

    def group(self, group_id=None, **settings):
        body = {"id": group_id or unique("grp"), "offerTimeoutSeconds": 0, **settings}
        return self.request("POST", "/api/v1/skill-groups", body, expect=201)["id"]

    def agent(self, groups, agent_id=None, password="correct horse battery"):
        agent_id = agent_id or unique("agent")
        body = {"id": agent_id, "name": agent_id.title(), "password": password,
                "memberships": [{"skillGroupId": g, "skillLevel": 1} for g in groups]}
        self.request("POST", "/api/v1/agents", body, expect=201)
        return agent_id

    def token(self, agent_id):
        return self.request("POST", f"/api/v1/agents/{agent_id}/tokens", {}, expect=201)["token"]

    def session(self, session_id):
        return self.get(f"/api/v1/sessions/{session_id}")

    def transcript(self, session_id):
        return self.get(f"/api/v1/sessions/{session_id}/messages?limit=200")


class Socket:
    """A WebSocket whose frames a background thread collects, so a test can both wait for a frame
    and later check that nothing arrived."""

    def __init__(self, url):
        from websockets.sync.client import connect
        # Loopback only: no proxy from the environment. Entered as a context manager, as
        # websockets asks; `close` leaves it.
        self._connection = connect(url, open_timeout=10, max_size=2 ** 22, proxy=None)
        self.ws = self._connection.__enter__()
        self.frames = []
        self.closed = threading.Event()
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for text in self.ws:
                with self._changed:
                    self.frames.append(json.loads(text))
                    self._changed.notify_all()
        except Exception:  # noqa: BLE001 - a closed socket ends the reader, which is all we need
            pass
        finally:
            self.closed.set()
            with self._changed:
                self._changed.notify_all()

    def send(self, frame):
        self.ws.send(json.dumps(frame))

    def wait_for(self, predicate, timeout=10, what="a frame"):
        deadline = time.time() + timeout
        with self._changed:
            while True:
                for frame in self.frames:
                    if predicate(frame):
                        return frame
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError(f"no {what} within {timeout} s; frames: {self.frames[-10:]}")
                self._changed.wait(remaining)

    def mark(self):
        with self._changed:
            return len(self.frames)

    def since(self, mark):
        with self._changed:
            return list(self.frames[mark:])

    def close(self):
        try:
            self._connection.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - already closed by the server
            pass


class AgentClient(Socket):
    """An agent SDK connection on /ws/agent, logged in with a token."""

    def __init__(self, server, token):
        super().__init__(server.ws_base + "/ws/agent")
        self.send({"v": 1, "type": "hello", "token": token})
        self.welcome = self.wait_for(lambda f: f.get("type") in ("welcome", "error"), what="welcome")
        assert self.welcome["type"] == "welcome", self.welcome
        self.wait_for(lambda f: f.get("type") == "event" and f.get("name") == "ready", what="ready")
        self.user = self.welcome["userId"]

    def call(self, method, params=None, timeout=10):
        """Sends one request and returns its response frame."""
        request_id = f"r{next(_ids)}"
        frame = {"v": 1, "type": "request", "id": request_id, "method": method}
        if params is not None:
            frame["params"] = params
        self.send(frame)
        return self.wait_for(lambda f: f.get("type") == "response" and f.get("id") == request_id,
                             timeout=timeout, what=f"response to {method}")

    def ok(self, method, params=None):
        response = self.call(method, params)
        assert response["status"] == "success", f"{self.user}: {method} {params} failed: {response}"
        return response.get("data")

    def event(self, name, session_id=None, timeout=10):
        return self.wait_for(lambda f: f.get("type") == "event" and f.get("name") == name
                             and (session_id is None or f["data"].get("sessionId") == session_id),
                             timeout=timeout, what=f"event {name} for {session_id}")


class CustomerClient(Socket):
    """A chat widget (or a browser caller) on /ws/customer."""

    def __init__(self, server):
        super().__init__(server.ws_base + "/ws/customer")

    def start(self, group, nickname="Ann", session_type=None):
        frame = {"v": 1, "type": "start", "skillGroupId": group, "nickname": nickname}
        if session_type:
            frame["sessionType"] = session_type
        self.send(frame)
        started = self.wait_for(lambda f: f.get("type") in ("started", "error"), what="started")
        assert started["type"] == "started", started
        self.session_id, self.secret = started["sessionId"], started["secret"]
        return self.session_id

    def resume(self, session_id, secret):
        self.send({"v": 1, "type": "resume", "sessionId": session_id, "secret": secret})
        return self.wait_for(lambda f: f.get("type") in ("started", "error"), what="answer to resume")


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.stop()
    running.remove()


@pytest.fixture(scope="module")
def admin(server):
    return Admin(server.base)


@pytest.fixture
def sockets():
    """Sockets opened by a test, closed after it."""
    opened = []

    def track(socket):
        opened.append(socket)
        return socket

    yield track
    for socket in opened:
        socket.close()
