"""Issue 15: no page logs a console error (or throws an uncaught error) in the main flows: the
landing page, an agent's day in the workbench (sign in, accept, reply, transfer, end, sign out),
a customer's chat in the widget, and the supervisor's board (sign in, end a session, sign out),
in English and in Chinese."""

import pytest

PASSWORD = "frequency-hopping"


class ConsoleWatch:
    """Every console error and uncaught exception of the pages it watches, with the page's address."""

    def __init__(self):
        self.errors = []

    def watch(self, page):
        page.on("console", lambda message: message.type == "error" and self.errors.append(f"{page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error}"))
        return page


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_main_flows_log_no_console_error(admin, contexts, locale):
    console = ConsoleWatch()
    group = admin.group(offerTimeoutSeconds=60)
    other = admin.group(name="Second line")
    user = admin.agent([group], name="Hedy Lamarr", password=PASSWORD)
    admin.agent([other], name="Second Sam")

    landing = console.watch(contexts(locale=locale).new_page())
    landing.goto("/")
    landing.locator("nav a").first.wait_for()

    page = console.watch(contexts(locale=locale).new_page())
    page.goto("/agent/")
    page.locator("#user").fill(user)
    page.locator("#password").fill(PASSWORD)
    page.locator("#sign-in").click()
    workbench = page.locator("tccc-workbench")
    workbench.locator(".panel").wait_for()
    page.evaluate("() => TCCC.Agent.online()")
    page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")

    shop = console.watch(contexts(locale=locale).new_page())
    shop.goto(f"/chat/?group={group}")
    widget = shop.locator("switchboard-chat")
    widget.locator(".launcher").click()
    widget.locator("input[name=nickname]").fill("Ann")
    widget.locator("textarea[name=message]").fill("Where is my parcel?")
    widget.locator(".start button[type=submit]").click()
    shop.wait_for_function("() => SwitchboardChat.state().sessionId")
    first = shop.evaluate("() => SwitchboardChat.state().sessionId")
    workbench.locator(f".offer[data-key='{first}'] button.accept").click()
    workbench.locator(".transcript").get_by_text("Where is my parcel?").wait_for()
    page.keyboard.type("It leaves today.")
    page.keyboard.press("Enter")
    widget.locator(".log").get_by_text("It leaves today.").wait_for()
    widget.locator(".compose textarea").fill("Thank you!")
    widget.locator(".compose textarea").press("Enter")
    workbench.locator(".transcript").get_by_text("Thank you!").wait_for()
    widget.locator(".leave").click()
    widget.locator(".new-chat").wait_for()

    # A second chat, transferred to the other group, then one ended by the agent.
    widget.locator(".new-chat").click()
    widget.locator("input[name=nickname]").fill("Bo")
    widget.locator(".start button[type=submit]").click()
    shop.wait_for_function(f"() => SwitchboardChat.state().sessionId && SwitchboardChat.state().sessionId !== '{first}'")
    session = shop.evaluate("() => SwitchboardChat.state().sessionId")
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator("button.transfer-toggle").click()
    workbench.locator(f".transfer-option[data-id='{other}'] input").check()
    workbench.locator("button.transfer-submit").click()
    workbench.locator(f".sessions-list li[data-key='{session}']").wait_for(state="detached")
    admin.end(session)
    widget.locator(".new-chat").wait_for()

    supervisor = admin.supervisor("admin", name="Ada Admin", password="watch the queues")
    board = console.watch(contexts(locale=locale, viewport={"width": 1366, "height": 900}).new_page())
    board.goto("/supervisor/")
    board.locator("#signin-user").fill(supervisor)
    board.locator("#signin-password").fill("watch the queues")
    board.locator("#signin-button").click()
    board.locator(f"#queues tr[data-group='{group}']").wait_for()
    board.locator("#live-state.ok").wait_for()
    board.locator("#report-show").click()
    board.locator("#report-charts svg").first.wait_for()
    board.locator("#sign-out").click()
    board.locator("#signin-form").wait_for()

    page.locator("#sign-out").click()
    page.locator("#login").wait_for()
    assert console.errors == []
