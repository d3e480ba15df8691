"""The webhook delivery tests: a real `switchboard` server and a real receiver process, both on
127.0.0.1 and both stopped by their pid.

Environment:
  SWITCHBOARD_BIN   the server binary (default: <repo>/.build/debug/switchboard)
"""

import base64
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
API_KEY = "sbk_" + secrets.token_urlsafe(24)
# Prefixed: a value starting with "-" (one run in 64) reads as an option to the command line.
SIGNING_SECRET = "sbs_" + secrets.token_urlsafe(48)
_ids = itertools.count(1)


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
        pytest.exit("cannot run the webhook tests:\n  " + "\n  ".join(problems), returncode=2)


def wait_until(predicate, what, timeout=30, every=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {what}")


class Server:
    """One `switchboard serve` on a data directory that outlives it (restarts reuse it)."""

    def __init__(self, directory, extra_args=()):
        self.dir = directory
        self.binary = self.dir / "switchboard"
        if not self.binary.exists():
            # A copy, so a concurrent `swift build` cannot swap the binary under a running suite.
            shutil.copy2(Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard")), self.binary)
        self.stderr = open(self.dir / "stderr.log", "ab")
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(self.dir / "data"),
             "--api-key", API_KEY, "--signing-secret", SIGNING_SECRET, "--no-demo", "--log-level", "warning",
             # Other suites share the cores in CI; shedding is OverloadTests' to test.
             "--overload-lag-limit", "0", *extra_args],
            stdout=subprocess.PIPE, stderr=self.stderr, cwd=self.dir)
        found = {}

        def read():
            for raw in self.process.stdout:
                match = re.search(r"Switchboard is listening on (http://127\.0\.0\.1:\d+)", raw.decode("utf-8", "replace"))
                if match and "base" not in found:
                    found["base"] = match.group(1)

        threading.Thread(target=read, daemon=True).start()
        wait_until(lambda: "base" in found or self.process.poll() is not None, "the server to start")
        if "base" not in found:
            raise RuntimeError("the server did not start:\n" + (self.dir / "stderr.log").read_text(errors="replace")[-4000:])
        self.base = found["base"]

    def kill(self):
        """SIGKILL: no graceful shutdown, nothing flushed beyond what was committed."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.stderr.close()

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.stderr.close()


class Receiver:
    """receiver.py on 127.0.0.1: logs every POST, answers as told (ok, fail, stall)."""

    def __init__(self, directory):
        self.log = directory / "received.jsonl"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, str(HERE / "receiver.py"), str(self.log)], stdout=subprocess.PIPE)
        line = self.process.stdout.readline().decode()
        match = re.match(r"listening on (\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"the receiver did not start: {line!r}")
        self.url = f"http://127.0.0.1:{match.group(1)}"

    def set(self, mode, stall_seconds=5):
        request = urllib.request.Request(self.url + "/_control", data=json.dumps({"mode": mode, "stall_seconds": stall_seconds}).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=5):
            pass

    def requests(self):
        """Every POST so far, oldest first, with the body parsed."""
        found = []
        for line in self.log.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                record["raw"] = base64.b64decode(record["body"])
                record["json"] = json.loads(record["raw"])
                found.append(record)
        return found

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(10)


def http(base, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    return status, (json.loads(text) if text else None)


def admin(server, method, path, body=None, expect=None):
    status, value = http(server.base, method, path, body, {"Authorization": f"Bearer {API_KEY}"})
    if expect is not None:
        assert status == expect, f"{method} {path} answered {status}, not {expect}: {value}"
    return value


# The agent connection is shared with the other Python suites (Tests/support/agent_socket.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from agent_socket import Agent  # noqa: E402,F401


@pytest.fixture
def workdir():
    directory = Path(tempfile.mkdtemp(prefix="switchboard-webhooks-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def receiver(workdir):
    running = Receiver(workdir)
    yield running
    running.stop()
