"""A call relayed through a real TURN server (Debian's coturn) on loopback, with short-lived
credentials minted by Switchboard from coturn's static-auth-secret (`--turn-secret`)."""

import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import CHROMIUM_ARGS, Admin, AgentPage, Server, CustomerPage, CUSTOMER_PAGE, AGENT_PAGE
from test_calls import agent_stats, customer_stats, inbound_growth, start_call, wait_for_media, MIN_GROWTH

TURN_SECRET = "turn-secret-for-browser-tests-0123"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def turn():
    binary = shutil.which("turnserver")
    assert binary, "coturn's turnserver is missing: `apt-get install -y coturn` (.ci/run does)"
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="coturn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [binary, "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", str(port),
         "--min-port", "49160", "--max-port", "49200", "--use-auth-secret", "--static-auth-secret", TURN_SECRET,
         "--realm", "switchboard.test", "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls",
         "--fingerprint", "--log-file", "stdout", "--simple-log"],
        stdout=log, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    assert process.poll() is None, "turnserver exited: " + open(log.name).read()[-2000:]
    yield {"port": port, "log": log.name}
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def relayed_server(turn):
    running = Server(extra_args=("--ice-servers", f"turn:127.0.0.1:{turn['port']}?transport=udp",
                                 "--turn-secret", TURN_SECRET))
    yield running
    running.stop()


def test_a_call_forced_through_turn_carries_media(turn, relayed_server, browser):
    admin = Admin(relayed_server.base)
    group = admin.group(offerTimeoutSeconds=30)
    agent_id = admin.agent([group], name="Rae")
    made = []

    def context():
        made.append(browser.new_context(base_url=relayed_server.base))
        made[-1].set_default_timeout(15000)
        return made[-1]

    try:
        agent_context = context()
        html = AGENT_PAGE.format(user=agent_id, token=admin.token(agent_id), css="", attrs='data-ui="none"')
        agent_context.route(relayed_server.base + "/__test__/agent.html",
                            lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        page = agent_context.new_page()
        page.goto("/__test__/agent.html")
        agent = AgentPage(page, agent_id)
        agent.wait_event("ready")
        # The welcome carries short-lived TURN credentials: "expiry:who" and an HMAC.
        welcome = [f for f in agent.call("() => TCCC.debug.frames()") if f["type"] == "welcome"][0]
        server_entry = welcome["iceServers"][0]
        assert server_entry["urls"] == [f"turn:127.0.0.1:{turn['port']}?transport=udp"]
        assert server_entry["username"].endswith(":agent-" + agent_id) and server_entry["credential"]
        agent.call("() => TCCC.debug.iceTransportPolicy('relay')")
        agent.call("() => TCCC.Agent.online()")

        shop_context = context()
        shop = CUSTOMER_PAGE.format(group=group, css="", attrs="")
        shop_context.route(relayed_server.base + "/__test__/shop.html",
                           lambda route: route.fulfill(status=200, content_type="text/html", body=shop))
        shop_page = shop_context.new_page()
        shop_page.goto("/__test__/shop.html")
        shop_page.wait_for_function("() => window.SwitchboardChat")
        customer = CustomerPage(shop_page)
        session = start_call(customer, "Sam")
        agent.wait_event("callIn", {"sessionId": session})
        assert agent.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
        wait_for_media(lambda: agent_stats(agent, session), timeout=30)
        wait_for_media(lambda: customer_stats(customer), timeout=30)
        assert inbound_growth(lambda: agent_stats(agent, session)) > MIN_GROWTH
        assert inbound_growth(lambda: customer_stats(customer)) > MIN_GROWTH
        # The nominated path is a TURN relay, so the media went through coturn.
        assert agent_stats(agent, session)["path"] == "relay"
        agent.call("(id) => TCCC.Call.hungUp({sessionId: id})", session)
    finally:
        for made_context in made:
            made_context.close()
