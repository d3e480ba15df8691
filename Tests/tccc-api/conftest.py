"""The TCCC server API tests: one real `switchboard` server on 127.0.0.1 for the session, reached
through Tencent Cloud's own Python SDK (`tencentcloud-sdk-python-ccc`), unmodified.

Environment:
  SWITCHBOARD_BIN   the server binary (default: <repo>/.build/debug/switchboard)
"""

import itertools
import json
import os
import re
import secrets
import shutil
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
API_KEY = "sbk_" + secrets.token_urlsafe(24)
# Prefixed: a value starting with "-" (one run in 64) reads as an option to the command line.
SIGNING_SECRET = "sbs_" + secrets.token_urlsafe(48)
SDK_APP_ID = 1400012345
_ids = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{next(_ids)}-{secrets.token_hex(3)}"


def pytest_sessionstart(session):
    problems = []
    binary = Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard"))
    if not binary.is_file() or not os.access(binary, os.X_OK):
        problems.append(f"the server binary {binary} is missing: run `swift build` in {REPO}, or set SWITCHBOARD_BIN")
    try:
        import tencentcloud.ccc.v20200210  # noqa: F401
    except ImportError:
        problems.append("the TCCC SDK is missing: `pip install tencentcloud-sdk-python-ccc`")
    if problems:
        pytest.exit("cannot run the TCCC API tests:\n  " + "\n  ".join(problems), returncode=2)


class Server:
    """One `switchboard serve` on a free loopback port with an empty tenant, stopped by its pid."""

    def __init__(self, extra_args=()):
        self.dir = Path(tempfile.mkdtemp(prefix="switchboard-tccc-"))
        # A copy, so a concurrent `swift build` cannot swap the binary under a running suite.
        self.binary = self.dir / "switchboard"
        shutil.copy2(Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard")), self.binary)
        self.stderr = open(self.dir / "stderr.log", "wb")
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(self.dir / "data"),
             "--api-key", API_KEY, "--signing-secret", SIGNING_SECRET, "--sdk-app-id", str(SDK_APP_ID), "--no-demo",
             # CI runs other suites on the same two cores: their load is not this server's
             # overload (shedding is tested by the Swift suite's OverloadTests).
             "--overload-lag-limit", "0",
             "--public-dir", str(REPO / "Public"),
             "--log-level", "warning", *extra_args],
            stdout=subprocess.PIPE, stderr=self.stderr, cwd=self.dir)
        found = {}

        def read():
            for raw in self.process.stdout:
                match = re.search(r"Switchboard is listening on (http://127\.0\.0\.1:\d+)", raw.decode("utf-8", "replace"))
                if match and "base" not in found:
                    found["base"] = match.group(1)

        threading.Thread(target=read, daemon=True).start()
        deadline = time.time() + 30
        while time.time() < deadline and "base" not in found and self.process.poll() is None:
            time.sleep(0.05)
        if "base" not in found:
            self.stop()
            raise RuntimeError("the server did not start:\n" + (self.dir / "stderr.log").read_text(errors="replace")[-4000:])
        self.base = found["base"]
        self.endpoint = self.base.removeprefix("http://")

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, 9)
                self.process.wait(10)
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def http(base, method, path, body=None, headers=None, raw=None):
    """One plain HTTP request; (status, headers, parsed JSON or None)."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, answer_headers, text = response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        status, answer_headers, text = error.code, error.headers, error.read().decode()
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = None  # not JSON: a page or a script
    return status, answer_headers, value


def admin(server, method, path, body=None, expect=None):
    """The admin API with the key: only for what the TCCC API has no action for (keys, customers' chats)."""
    status, _, value = http(server.base, method, path, body, {"Authorization": f"Bearer {API_KEY}"})
    if expect is not None:
        assert status == expect, f"{method} {path} answered {status}, not {expect}: {value}"
    return value


def make_client(server, secret_id, secret_key):
    """Tencent's client, configured as its documentation says, pointed at this server."""
    from tencentcloud.ccc.v20200210 import ccc_client
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.endpoint))
    return ccc_client.CccClient(credential.Credential(secret_id, secret_key), "", profile)


def call(client, action, **params):
    """`client.<Action>(models.<Action>Request)` with params, as integrations write it."""
    from tencentcloud.ccc.v20200210 import models

    request = getattr(models, action + "Request")()
    request.from_json_string(json.dumps(params))
    return getattr(client, action)(request)


def error_of(client, action, **params):
    """The TencentCloudSDKException an action raises (fails the test if it succeeds)."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    with pytest.raises(TencentCloudSDKException) as raised:
        call(client, action, **params)
    return raised.value


@pytest.fixture(scope="session")
def server():
    running = Server()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def key(server):
    created = admin(server, "POST", "/api/v1/api-keys", {"description": "tccc-api tests"}, expect=201)
    assert created["sdkAppId"] == SDK_APP_ID and created["secretId"].startswith("AKID") and len(created["secretKey"]) >= 32
    return created


@pytest.fixture(scope="session")
def client(server, key):
    return make_client(server, key["secretId"], key["secretKey"])


# The agent connection is shared with the other Python suites (Tests/support/agent_socket.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from agent_socket import Agent  # noqa: E402,F401
