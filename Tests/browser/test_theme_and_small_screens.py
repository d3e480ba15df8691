"""Issue 15: a dark theme that follows the system on every page (with readable contrast), and the
agent workbench and the customer widget usable on a phone (390 px) as on a laptop (1366 px): no
sideways scrolling, every main button on screen and clickable, the lists and the conversation
one at a time on the narrow screen."""

import pytest

from conftest import screenshot, sign_in_workbench

PASSWORD = "frequency-hopping"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 800}

# The colours a node shows: its own text colour, and the first opaque background from it up
# (through shadow roots), both as [r, g, b].
COLOURS = """node => {
    const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
    let at = node, background = null;
    while (at && !background) {
        if (at.nodeType === 1) {
            const value = rgb(getComputedStyle(at).backgroundColor);
            if (value.length === 3 || (value.length === 4 && value[3] > 0.9)) background = value.slice(0, 3);
        }
        at = at.parentNode || at.host;
    }
    return { text: rgb(getComputedStyle(node).color).slice(0, 3), background: background || [255, 255, 255] };
}"""


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_dark(locator, minimum=4.5):
    """The node is light text on a dark background, at least `minimum`:1 apart (WCAG AA)."""
    colours = locator.evaluate(COLOURS)
    assert luminance(colours["background"]) < 0.08, colours
    assert luminance(colours["text"]) > 0.4, colours
    assert contrast(colours["text"], colours["background"]) >= minimum, colours


def sign_in(contexts, user, viewport, **options):
    page = contexts(viewport=viewport, **options).new_page()
    page.goto("/agent/")
    workbench = sign_in_workbench(page, user, PASSWORD)
    return page, workbench


def no_sideways_scrolling(page):
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"


def on_screen_and_clickable(page, locator):
    """Visible, inside the window, and the topmost thing at its centre (so a tap reaches it)."""
    locator.wait_for()
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"] + 0.5 and box["y"] + box["height"] <= viewport["height"] + 0.5, (box, viewport)
    assert locator.evaluate("""node => {
        const box = node.getBoundingClientRect();
        let hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        while (hit && hit.shadowRoot) {
            const inner = hit.shadowRoot.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            if (!inner || inner === hit) break;
            hit = inner;
        }
        return hit === node || node.contains(hit);
    }"""), "covered: " + locator.evaluate("n => n.outerHTML.slice(0, 120)")


def test_every_page_follows_a_dark_system_theme(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Hedy Lamarr", password=PASSWORD)

    landing = contexts(color_scheme="dark").new_page()
    landing.goto("/")
    assert_dark(landing.locator("h1"), 7)
    assert_dark(landing.locator(".grid p").first)

    page, workbench = sign_in(contexts, user, LAPTOP, color_scheme="dark")
    customer = customer_page(group, context=contexts(color_scheme="dark"))
    session = customer.start("Ann", "Is the blue tent waterproof?")
    offer = workbench.locator(f".offer[data-key='{session}']")
    offer.wait_for()
    assert_dark(offer.locator(".who-line"), 7)
    screenshot(page, "workbench-dark-ringing")
    offer.locator("button.accept").click()
    workbench.locator(".transcript").get_by_text("Is the blue tent waterproof?").wait_for()
    page.keyboard.type("Yes, fully taped seams.")
    page.keyboard.press("Enter")
    customer.wait_text("Yes, fully taped seams.")
    for selector in [".top .name", ".transcript .msg.customer .text", "h2", ".empty", ".chat-head .meta", ".composer textarea", ".btn.transfer-toggle"]:
        assert_dark(workbench.locator(selector).first)
    assert_dark(workbench.locator(".btn.end"))  # the danger button's red text is lightened in the dark
    assert_dark(workbench.locator(".session .last").first)
    screenshot(page, "workbench-dark")

    # (The widget's head is the page's accent colour in both themes.)
    for selector in [".log .msg.agent .text", ".compose textarea", ".foot .leave"]:
        assert_dark(customer.w(selector).first)
    screenshot(customer.page, "widget-dark")

    supervisor_id = admin.supervisor("admin", name="Sam Supervisor", password="watch the queues")
    board = contexts(color_scheme="dark", viewport=LAPTOP).new_page()
    board.goto("/supervisor/")
    assert_dark(board.locator("#signin-title"), 7)
    board.get_by_label("User id", exact=True).fill(supervisor_id)
    board.get_by_label("Password", exact=True).fill("watch the queues")
    board.get_by_role("button", name="Sign in").click()
    board.locator(f"tr[data-session='{session}']").wait_for()
    for selector in ["#queues-title", "#sessions td", "#agents .agent .name", "#live-groups th", ".field"]:
        assert_dark(board.locator(selector).first)
    screenshot(board, "supervisor-dark")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_the_workbench_fits_a_phone_and_a_laptop(admin, contexts, customer_page, viewport):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Hedy Lamarr", password=PASSWORD)
    page, workbench = sign_in(contexts, user, viewport)
    no_sideways_scrolling(page)
    on_screen_and_clickable(page, page.get_by_role("button", name="Sign out"))
    on_screen_and_clickable(page, workbench.locator("select.status-select"))

    first = customer_page(group).start("Ann", "Where is my order 1123?")
    offer = workbench.locator(f".offer[data-key='{first}']")
    offer.wait_for()
    no_sideways_scrolling(page)
    on_screen_and_clickable(page, offer.locator("button.accept"))
    screenshot(page, f"workbench-{viewport['width']}-ringing")
    offer.locator("button.accept").click()
    workbench.locator(".transcript").get_by_text("Where is my order 1123?").wait_for()
    no_sideways_scrolling(page)
    for selector in ["button.end", "button.transfer-toggle", ".composer textarea", "button.send"]:
        on_screen_and_clickable(page, workbench.locator(selector))
    phone = viewport is PHONE
    # On the phone the conversation takes the screen: the lists wait behind Back, the customer
    # panel behind its button. On the laptop the three stand side by side.
    assert workbench.locator(".side").is_visible() is not phone
    assert workbench.locator("button.back").is_visible() is phone
    assert workbench.locator(".customer-panel").is_visible() is not phone
    if phone:
        workbench.locator("button.customer-toggle").click()
        workbench.locator(".customer-panel").wait_for()
        workbench.locator("button.customer-toggle").click()
    screenshot(page, f"workbench-{viewport['width']}-in-chat")

    # A second customer while in the first chat: the phone shows the strip, which leads to the offer.
    second = customer_page(group).start("Bo", "Hello?")
    if phone:
        strip = workbench.locator(".incoming-strip")
        strip.wait_for()
        on_screen_and_clickable(page, strip)
        strip.click()
    offer = workbench.locator(f".offer[data-key='{second}']")
    on_screen_and_clickable(page, offer.locator("button.accept"))
    offer.locator("button.accept").click()
    workbench.locator(".transcript").get_by_text("Hello?").wait_for()
    if phone:
        workbench.locator("button.back").click()
    item = workbench.locator(f".sessions-list li[data-key='{first}'] button")
    on_screen_and_clickable(page, item)
    item.click()
    workbench.locator(".transcript").get_by_text("Where is my order 1123?").wait_for()
    no_sideways_scrolling(page)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_the_widget_fits_a_phone_and_a_laptop(admin, agent_page, customer_page, viewport):
    group = admin.group(offerTimeoutSeconds=60)
    agent = agent_page(admin.agent([group]))
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group, viewport=viewport)
    page = customer.page
    no_sideways_scrolling(page)
    on_screen_and_clickable(page, customer.w(".launcher"))
    customer.w(".launcher").click()
    for selector in ["input[name=nickname]", ".start button[type=submit]", ".minimize"]:
        on_screen_and_clickable(page, customer.w(selector))
    customer.w("input[name=nickname]").fill("Ann")
    customer.w("textarea[name=message]").fill("A message long enough to wrap over more than one line on a phone screen, to be sure.")
    customer.w(".start button[type=submit]").click()
    page.wait_for_function("() => window.SwitchboardChat.state().sessionId")
    session = customer.session_id()
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Hello Ann, how can I help?'})", session)
    customer.wait_text("Hello Ann, how can I help?")
    no_sideways_scrolling(page)
    for selector in [".compose textarea", ".compose button[type=submit]", ".attach", ".leave", ".minimize"]:
        on_screen_and_clickable(page, customer.w(selector))
    if viewport is PHONE:
        # The chat takes the whole phone screen.
        box = customer.w(".panel").bounding_box()
        assert box["width"] == PHONE["width"] and box["height"] == PHONE["height"], box
    screenshot(page, f"widget-{viewport['width']}-in-chat")
    customer.send("Thanks!")
    agent.wait_event("message", {"sessionId": session, "text": "Thanks!"})
