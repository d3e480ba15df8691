"""TCCC.UI.* visibly shows and hides the workbench; the host page's CSS cannot break it; keyboard use;
TCCC.Devices with chromium's fake devices."""

HOSTILE_CSS = """
  * { color: red !important; font-size: 31px !important; font-family: serif !important; }
  button { display: none !important; }
  div, section, ul, li { background: yellow !important; padding: 40px !important; }
  tccc-workbench { opacity: .1; }
"""


def visible(agent, selector):
    return agent.wb(selector).is_visible()


def test_ui_methods_show_and_hide_the_button_and_the_panel(admin, agent_page):
    user = admin.agent([admin.group()], name="Una")
    agent = agent_page(user)
    agent.wb(".fab").wait_for()
    # Loaded with a token: the floating button shows, the panel is closed.
    assert visible(agent, ".fab") and not visible(agent, ".panel")

    steps = [
        ("TCCC.UI.showWorkbench()", True, True),
        ("TCCC.UI.hidefloatButton()", False, True),
        ("TCCC.UI.hideWorkbench()", False, False),
        ("TCCC.UI.showfloatButton()", True, False),
        ("TCCC.UI.showWorkbench()", True, True),
        ("TCCC.UI.hide()", False, False),
        ("TCCC.UI.show()", True, True),
        ("TCCC.UI.hideWorkbench()", True, False),
    ]
    for call, button, panel in steps:
        agent.call(f"() => {call}")
        assert visible(agent, ".fab") is button, call
        assert visible(agent, ".panel") is panel, call

    # The button toggles the panel; Escape closes it and gives focus back to the button.
    agent.wb(".fab").click()
    assert visible(agent, ".panel")
    assert agent.wb(".fab").get_attribute("aria-expanded") == "true"
    # Opening moves the focus into the panel on the next turn of the event loop; Escape is a key
    # of the panel, so wait for the focus to be there (a loaded machine can take a while).
    agent.wb(".panel :focus").wait_for()
    agent.page.keyboard.press("Escape")
    assert not visible(agent, ".panel")
    assert agent.page.evaluate("() => document.querySelector('tccc-workbench').shadowRoot.activeElement.className").startswith("fab")
    agent.page.keyboard.press("Enter")
    assert visible(agent, ".panel")


def test_host_page_css_cannot_break_the_workbench(admin, agent_page):
    user = admin.agent([admin.group()], name="Vic")
    agent = agent_page(user, css=HOSTILE_CSS)
    agent.call("() => TCCC.UI.showWorkbench()")
    fab = agent.wb(".fab")
    assert fab.is_visible()
    style = agent.page.evaluate("""() => {
        const root = document.querySelector('tccc-workbench').shadowRoot;
        const s = getComputedStyle(root.querySelector('.top .name'));
        const accept = getComputedStyle(root.querySelector('.fab'));
        return {color: s.color, size: s.fontSize, fab: accept.display, fabSize: accept.width,
                panelBg: getComputedStyle(root.querySelector('.panel')).backgroundColor,
                hostOpacity: getComputedStyle(document.querySelector('tccc-workbench')).opacity};
    }""")
    assert style["color"] != "rgb(255, 0, 0)" and style["size"] != "31px", style
    assert style["fab"] != "none" and style["fabSize"] == "60px", style
    assert style["panelBg"] != "rgb(255, 255, 0)", style
    assert style["hostOpacity"] == "1", style
    box = agent.wb(".panel").bounding_box()
    assert 380 <= box["width"] <= 420, box


def test_status_switcher_and_keyboard(admin, agent_page):
    user = admin.agent([admin.group()], name="Wes")
    agent = agent_page(user)
    agent.call("() => TCCC.UI.showWorkbench()")
    select = agent.wb("select.status-select")
    assert select.input_value() == "offline"

    def changes(count):
        """Waits for the count-th statusChanged and returns them all as (status, restReason)."""
        agent.page.wait_for_function("(n) => window.__events.filter(e => e.name === 'statusChanged').length >= n", arg=count)
        return [(e["status"], e.get("restReason")) for e in agent.events("statusChanged")]

    # Picking a status while offline goes online first.
    select.select_option("rest:lunch")
    assert changes(2) == [("free", None), ("rest", "lunch")]
    assert agent.call("() => TCCC.Agent.getStatus()") == "rest"
    # Another break reason: through notReady, never free, so no offer slips in.
    select.select_option("rest:training")
    assert changes(4)[2:] == [("notReady", None), ("rest", "training")]
    select.select_option("notReady")
    assert changes(5)[4] == ("notReady", None)
    select.select_option("free")
    assert changes(6)[5] == ("free", None)
    assert select.input_value() == "free"
    assert agent.wb(".status-control .dot").evaluate("n => getComputedStyle(n).backgroundColor") == "rgb(22, 163, 74)"
    assert agent.wb(".fab .dot").evaluate("n => getComputedStyle(n).backgroundColor") == "rgb(22, 163, 74)"

    # The header's buttons work from the keyboard, with a visible focus ring.
    agent.wb(".online-toggle").focus()
    agent.page.keyboard.press("Enter")
    assert changes(7)[6] == ("offline", None)
    assert agent.wb(".online-toggle").inner_text() == "Go online"
    outline = agent.wb(".online-toggle").evaluate("n => getComputedStyle(n).outlineStyle")
    assert outline == "solid"
    agent.page.keyboard.press("Enter")
    assert changes(8)[7] == ("free", None)
    assert all(e["cause"] == "agent" for e in agent.events("statusChanged"))
    labels = agent.page.evaluate("""() => Array.from(document.querySelector('tccc-workbench').shadowRoot
        .querySelectorAll('button, select, textarea, input')).filter(n => n.offsetParent)
        .map(n => n.getAttribute('aria-label') || n.textContent.trim())""")
    assert all(labels), labels


def test_devices(admin, agent_page):
    user = admin.agent([admin.group()])
    agent = agent_page(user)
    assert agent.call("() => TCCC.Devices.isBrowserSupported()") is True
    microphones = agent.call("""async () => (await TCCC.Devices.getMicrophones()).map(d => ({
        kind: d.kind, label: d.label, id: d.deviceId, proto: Object.prototype.toString.call(d)}))""")
    assert microphones, "chromium's fake devices give at least one microphone"
    assert all(m["kind"] == "audioinput" and m["label"] and m["id"] for m in microphones), microphones
    assert all(m["proto"] in ("[object MediaDeviceInfo]", "[object InputDeviceInfo]") for m in microphones), microphones
    assert any("Fake" in m["label"] or "fake" in m["label"] for m in microphones), microphones
    speakers = agent.call("async () => (await TCCC.Devices.getSpeakers()).map(d => ({kind: d.kind, label: d.label}))")
    assert speakers, "chromium's fake devices give speakers too"
    assert all(s["kind"] == "audiooutput" and s["label"] for s in speakers), speakers
    assert any("Fake" in s["label"] for s in speakers), speakers

    # Old and other browsers are refused as TCCC documents (Chrome 56+, Edge 80+).
    verdicts = agent.call("""() => {
        const uas = {
            chrome55: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/55.0.2883.87 Safari/537.36',
            chrome56: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36',
            edge79: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.74 Safari/537.36 Edg/79.0.309.43',
            edge80: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.87 Safari/537.36 Edg/80.0.361.48',
            edgeHTML: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582',
            firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'
        };
        const out = {};
        for (const [name, ua] of Object.entries(uas)) {
            Object.defineProperty(navigator, 'userAgent', {value: ua, configurable: true});
            out[name] = TCCC.Devices.isBrowserSupported();
        }
        return out;
    }""")
    assert verdicts == {"chrome55": False, "chrome56": True, "edge79": False, "edge80": True, "edgeHTML": False, "firefox": False}
