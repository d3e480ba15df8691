"""The supervisor page's webhooks card (admins only; docs/webhooks.md): add a subscription and see
its secret once, pause and resume it, read its delivery log with each delivery's status, redeliver
one, delete the subscription. A real receiver (Python's http.server on 127.0.0.1) takes the POSTs,
so the server runs with --webhooks-allow-private-addresses."""

import http.server
import json
import threading

import pytest

from conftest import Admin, Server, screenshot


class Receiver:
    """An HTTP receiver on 127.0.0.1 that answers 204 and keeps every event it was sent."""

    def __init__(self):
        events = self.events = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                events.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hooked_server():
    running = Server(extra_args=("--webhooks-allow-private-addresses",))
    yield running
    running.stop()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


def test_webhooks_are_added_paused_resumed_logged_redelivered_and_deleted(hooked_server, browser, receiver):
    admin = Admin(hooked_server.base)
    group = admin.group()
    boss = admin.supervisor("admin", name="Hook Admin")
    context = browser.new_context(base_url=hooked_server.base, viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto("/supervisor/")
        page.get_by_label("User id", exact=True).fill(boss)
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        card = page.locator("#webhooks-card")
        card.wait_for()
        card.get_by_text("No webhooks yet").wait_for()

        # A bad URL is refused with the server's reason, and nothing is added.
        page.get_by_label("Receiver URL").fill("ftp://crm.example.com/in")
        page.get_by_role("button", name="Add webhook").click()
        card.locator("#webhook-error").get_by_text("only http and https").wait_for()
        assert admin.get("/api/v1/webhooks")["items"] == []

        # Added for two kinds: the secret is shown once, and the list shows the subscription.
        page.get_by_label("Receiver URL").fill(receiver.url)
        page.get_by_label("Webhook description").fill("CRM")
        for box in card.locator("#webhook-kinds input").all():
            if box.get_attribute("value") not in ("session.created", "session.ended"):
                box.uncheck()
        page.get_by_role("button", name="Add webhook").click()
        secret = card.locator("#webhook-secret-value")
        secret.wait_for()
        assert secret.inner_text().startswith("whsec_")
        [hook] = admin.get("/api/v1/webhooks")["items"]
        assert hook["kinds"] == ["session.created", "session.ended"] and hook["description"] == "CRM"
        assert hook["secret"] is None  # never again after the answer that made it
        row = card.locator(f"tr[data-webhook='{hook['id']}']")
        row.get_by_text("Active").wait_for()
        page.get_by_role("button", name="I have saved it").click()
        assert card.locator("#webhook-secret").is_hidden()

        # Paused, a session's events wait in the outbox; resumed, they arrive in order.
        row.get_by_role("button", name="Pause").click()
        row.get_by_text("Paused").wait_for()
        assert admin.get(f"/api/v1/webhooks/{hook['id']}")["paused"] is True
        session = admin.request("POST", "/api/v1/sessions", {"type": "im", "skillGroupId": group, "customer": {"nickname": "Ann"}}, expect=201)["sessionId"]
        admin.end(session, mainReason="test")
        row.get_by_role("button", name="Deliveries").click()
        log = card.locator("#webhook-log")
        log.get_by_text(f"Deliveries to {receiver.url}").wait_for()
        log.locator("tbody tr").nth(1).wait_for()
        assert log.locator(".pill.pending").count() == 2 and receiver.events == []
        row.get_by_role("button", name="Resume").click()
        row.get_by_text("Active").wait_for()
        # The open log follows on its own while deliveries are pending.
        page.wait_for_function("() => document.querySelectorAll('#webhook-deliveries .pill.delivered').length === 2")
        assert [event["kind"] for event in receiver.events] == ["session.created", "session.ended"]
        first = log.locator("tbody tr").nth(1)
        assert "session.created" in first.inner_text() and "HTTP 204" in first.inner_text()

        # Redelivered: a copy of the delivered creation goes out with the same event id.
        first.get_by_role("button", name="Redeliver").click()
        page.wait_for_function("() => document.querySelectorAll('#webhook-deliveries .pill.delivered').length === 3")
        assert len(receiver.events) == 3 and receiver.events[2]["id"] == receiver.events[0]["id"]
        log.get_by_text("redelivery of").wait_for()
        page.get_by_label("Delivery status").select_option("delivered")
        log.get_by_text("3 in all").wait_for()
        screenshot(page.locator("#webhooks-card"), "supervisor-webhooks")

        # Deleted, after the browser's confirmation: the log closes with it.
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Delete").click()
        card.get_by_text("No webhooks yet").wait_for()
        assert log.is_hidden()
        assert admin.get("/api/v1/webhooks")["items"] == []
    finally:
        context.close()
