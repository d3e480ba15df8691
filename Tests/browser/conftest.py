"""Browser tests: the real `switchboard` server as a child process, Debian's chromium driven by
Playwright (from PyPI), the SDK loaded the way a customer's page loads it.

Environment:
  SWITCHBOARD_BIN   the server binary (default: <repo>/.build/debug/switchboard)
  CHROMIUM          the browser (default: /usr/bin/chromium)
"""

import itertools
import json
import os
import re
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
PUBLIC = REPO / "Public"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
API_KEY = "sbk_browser-tests-0123456789"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The host pages of the tests are served by Playwright (route.fulfill), which gives them no IP
# address space, so Chromium's Local Network Access checks would treat them as public pages and
# block their WebSockets to 127.0.0.1. Pages the server itself serves do not need this.
# Phone calls run WebRTC against rtpengine on 127.0.0.1, which Chromium only reaches with
# --allow-loopback-in-peer-connection (it leaves loopback out of ICE otherwise).
CHROMIUM_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--no-sandbox",
                 "--disable-features=LocalNetworkAccessChecks", "--allow-loopback-in-peer-connection"]
_ids = itertools.count(1)


def unique(prefix):
    """An id no other test uses, so tests share one server without seeing each other's work."""
    return f"{prefix}-{os.getpid() % 1000}-{next(_ids)}"


def pytest_sessionstart(session):
    problems = []
    binary = Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard"))
    if not binary.is_file() or not os.access(binary, os.X_OK):
        problems.append(f"the server binary {binary} is missing: run `swift build` in {REPO}, or set SWITCHBOARD_BIN")
    if not Path(CHROMIUM).is_file():
        problems.append(f"chromium is missing at {CHROMIUM}: `apt-get install -y chromium`, or set CHROMIUM")
    try:
        import playwright  # noqa: F401
    except ImportError:
        problems.append("the playwright package is missing: `pip install pytest playwright` (no `playwright install` needed)")
    if problems:
        pytest.exit("cannot run the browser tests:\n  " + "\n  ".join(problems), returncode=2)


class Server:
    """One `switchboard serve` with an empty tenant, stopped at the end of the session."""

    def __init__(self, extra_args=()):
        self.dir = Path(tempfile.mkdtemp(prefix="switchboard-browser-"))
        source = Path(os.environ.get("SWITCHBOARD_BIN", REPO / ".build/debug/switchboard"))
        # A copy, so a concurrent `swift build` cannot swap the binary under a running suite.
        self.binary = self.dir / "switchboard"
        shutil.copy2(source, self.binary)
        self.log_path = self.dir / "server.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--port", "0", "--data-dir", str(self.dir / "data"), "--no-demo",
             "--api-key", API_KEY, "--public-dir", str(PUBLIC), "--log-level", "info",
             # Every customer of the suite comes from 127.0.0.1, many a minute; the limit itself
             # is tested by the Swift suite (CustomerLimitsTests).
             "--customer-starts-per-address", "0",
             # Chromium shares the two cores: its bursts are not the server's overload
             # (shedding is tested by the Swift suite's OverloadTests).
             "--overload-lag-limit", "0", *extra_args],
            stdout=subprocess.PIPE, stderr=self.log, cwd=self.dir)
        self.base = self._wait_for_address()
        # The suite's agents start offline and go online when a test says so, as these tests were
        # written; TCCC's default (an SDK login puts the agent online) is tested with the setting
        # on by test_tccc_integrations.py and by the Swift suite (LoginSessionTests).
        Admin(self.base).request("PUT", "/api/v1/configuration", {"onlineAtLogin": False}, expect=200)

    def _wait_for_address(self):
        found = {}

        def read():
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace")
                match = re.search(r"Switchboard is listening on (http://\S+)", line)
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
            raise RuntimeError("the server did not start; its log:\n" + self.log_path.read_text(errors="replace")[-4000:])
        return found["base"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()
        # The copy of the binary is 200 MB: left behind by every run it filled the disk. The log
        # and data stay for a failure's post-mortem.
        self.binary.unlink(missing_ok=True)


class Admin:
    """The admin REST API (docs/admin-api.md)."""

    def __init__(self, base, key=API_KEY):
        self.base = base
        self.key = key

    def request(self, method, path, body=None, expect=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        value = json.loads(text) if text else None
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path} answered {status}, not {expect}: {text}")
        return value

    def get(self, path):
        return self.request("GET", path, expect=200)

    def group(self, **settings):
        settings.setdefault("id", unique("grp"))
        settings.setdefault("name", settings["id"].replace("-", " ").title())
        return self.request("POST", "/api/v1/skill-groups", settings, expect=201)["id"]

    def agent(self, groups, name=None, password="correct horse battery", **extra):
        agent_id = extra.pop("id", None) or unique("agent")
        body = {"id": agent_id, "name": name or agent_id, "password": password,
                "memberships": [{"skillGroupId": g, "skillLevel": 1} for g in groups], **extra}
        self.request("POST", "/api/v1/agents", body, expect=201)
        return agent_id

    def token(self, agent_id, lifetime=None):
        body = {} if lifetime is None else {"lifetimeSeconds": lifetime}
        return self.request("POST", f"/api/v1/agents/{agent_id}/tokens", body, expect=201)["token"]

    def supervisor(self, role="supervisor", name=None, password="correct horse battery", **extra):
        """A supervisor account for the supervisor page (docs/security.md), made with the API key."""
        supervisor_id = extra.pop("id", None) or unique(role)
        body = {"role": role, "name": name or supervisor_id.replace("-", " ").title(), "password": password, **extra}
        self.request("PUT", f"/api/v1/supervisors/{supervisor_id}", body, expect=201)
        return supervisor_id

    def session(self, session_id):
        return self.get(f"/api/v1/sessions/{session_id}")

    def end(self, session_id, **reasons):
        return self.request("POST", f"/api/v1/sessions/{session_id}/end", reasons, expect=200)


@pytest.fixture(scope="session")
def server():
    running = Server()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def admin(server):
    return Admin(server.base)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser, server):
    """New browser contexts (each its own sessionStorage and cookies), closed after the test."""
    made = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=server.base, **options)
        context.set_default_timeout(15000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


AGENT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agent {user}</title>
<style>{css}</style></head>
<body>
<h1>Host page of agent {user}</h1>
<script src="/sdk/tccc.js" data-token="{token}" data-sdk-app-id="1400001" data-userid="{user}" {attrs}></script>
<script>
  window.__events = [];
  window.__errors = [];
  window.addEventListener('unhandledrejection', function (e) {{ window.__errors.push(String(e.reason)); }});
  Object.keys(TCCC.events).forEach(function (key) {{
    TCCC.on(TCCC.events[key], function (data) {{ window.__events.push({{name: key, data: data, at: Date.now()}}); }});
  }});
</script>
</body></html>"""

CUSTOMER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>body {{ font-family: Georgia, serif; background: #fdf6e3; margin: 40px; }} {css}</style></head>
<body>
<h1>Acme Shop</h1><p>Questions about your order? Use the chat button.</p>
<script src="/widget.js" data-skill-group="{group}" data-title="Chat with Acme" {attrs}></script>
</body></html>"""


class AgentPage:
    """A host page that loaded the SDK with the script tag, recording every event it fires."""

    def __init__(self, page, user):
        self.page = page
        self.user = user

    def call(self, expression, arg=None):
        """Evaluates `expression` (a function taking `arg`, e.g. an SDK call) and returns its value."""
        return self.page.evaluate(expression, arg)

    def events(self, name=None):
        found = self.page.evaluate("() => window.__events")
        return [e["data"] for e in found if name is None or e["name"] == name]

    def names(self):
        return [e["name"] for e in self.page.evaluate("() => window.__events")]

    def wait_event(self, name, match=None, timeout=15000):
        """Waits for an event `name` whose payload has every field in `match`; returns its payload."""
        self.page.wait_for_function(
            """([name, match]) => window.__events.some(e => e.name === name &&
                 Object.keys(match).every(k => JSON.stringify(e.data[k]) === JSON.stringify(match[k])))""",
            arg=[name, match or {}], timeout=timeout)
        for event in self.events(name):
            if all(event.get(k) == v for k, v in (match or {}).items()):
                return event
        raise AssertionError("unreachable")

    def count(self, name, match=None):
        return sum(1 for e in self.events(name) if all(e.get(k) == v for k, v in (match or {}).items()))

    def wb(self, selector):
        """A locator inside the workbench's shadow root (Playwright CSS pierces open shadow roots)."""
        return self.page.locator("tccc-workbench").locator(selector)


class CustomerPage:
    """A shop page with the chat widget, used the way a visitor would: typing and clicking."""

    def __init__(self, page):
        self.page = page

    def w(self, selector):
        return self.page.locator("switchboard-chat").locator(selector)

    def start(self, nickname, message=None):
        self.w(".launcher").click()
        self.w("input[name=nickname]").fill(nickname)
        if message:
            self.w("textarea[name=message]").fill(message)
        self.w(".start button[type=submit]").click()
        self.page.wait_for_function("() => window.SwitchboardChat.state().sessionId")
        return self.session_id()

    def session_id(self):
        return self.page.evaluate("() => window.SwitchboardChat.state().sessionId")

    def send(self, text):
        box = self.w(".compose textarea")
        box.fill(text)
        box.press("Enter")

    def wait_text(self, text, timeout=15000):
        self.w(".log").get_by_text(text).first.wait_for(timeout=timeout)

    def messages(self):
        return self.page.evaluate("""() => Array.from(document.querySelector('switchboard-chat').shadowRoot
            .querySelectorAll('.log .msg')).map(n => ({from: n.className.replace('msg ', '').replace(' pending', ''),
            id: n.dataset.messageId, text: n.childNodes[1] ? n.childNodes[1].textContent : ''}))""")


@pytest.fixture
def agent_page(contexts, admin, server):
    """Opens a host page for an agent: script-tag login with a fresh token."""

    def open_page(user, token=None, css="", attrs="", context=None, prepare=None):
        """`prepare(page)` runs before the page loads (to route its socket, say)."""
        context = context or contexts()
        token = token or admin.token(user)
        path = f"/__test__/agent-{user}.html"
        html = AGENT_PAGE.format(user=user, token=token, css=css, attrs=attrs)
        context.route(server.base + path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        page = context.new_page()
        if prepare:
            prepare(page)
        page.goto(path)
        agent = AgentPage(page, user)
        agent.wait_event("ready")
        return agent

    return open_page


@pytest.fixture
def customer_page(contexts, server):
    """Opens a shop page with the widget for a skill group."""

    def open_page(group, css="", attrs="", context=None, viewport=None):
        context = context or contexts(**({"viewport": viewport} if viewport else {}))
        path = f"/__test__/shop-{group}.html"
        html = CUSTOMER_PAGE.format(group=group, css=css, attrs=attrs)
        context.route(server.base + path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        page = context.new_page()
        page.goto(path)
        page.wait_for_function("() => window.SwitchboardChat")
        return CustomerPage(page)

    return open_page


def sales_support_menu(admin):
    """Two groups and an IVR flow whose menu says "Press 1 for sales, 2 for support." (support
    queues at priority 2; no key in 20 s goes to sales). Returns (sales, support, flow id)."""
    sales = admin.group(name="Sales", offerTimeoutSeconds=30)
    support = admin.group(name="Support", offerTimeoutSeconds=30)
    flow = unique("flow")
    admin.request("PUT", f"/api/v1/ivr-flows/{flow}", {"name": "Help line", "start": "menu", "nodes": [
        {"id": "menu", "type": "menu", "prompt": {"text": "Press 1 for sales, 2 for support."},
         "choices": [{"digits": "1", "label": "sales", "next": "sales"}, {"digits": "2", "label": "support", "next": "support"}],
         "timeoutSeconds": 20, "retries": 0, "onFailure": "sales"},
        {"id": "sales", "type": "queue", "skillGroupId": sales},
        {"id": "support", "type": "queue", "skillGroupId": support, "priority": 2},
    ]}, expect=201)
    return sales, support, flow


def wait_until(predicate, what, timeout=20):
    """Polls `predicate` until it holds; fails naming `what` after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {timeout} s")


def sign_in_workbench(page, user, password):
    """Signs an agent in on the agent page (already at /agent/) and puts it online, as an agent
    starts the day; returns the workbench."""
    page.get_by_label("User id").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    workbench = page.locator("tccc-workbench")
    workbench.locator(".panel").wait_for()
    page.evaluate("() => TCCC.Agent.online()")
    page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    return workbench


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
