"""The supervisor page's live panel (fed by server-sent events, never polled) and its reports
view (SVG trend charts with the totals table beside them, and a CSV download); docs/reports.md."""

from conftest import screenshot
from test_supervisor import sign_in


def test_live_panel_follows_the_floor_as_it_changes_without_polling(admin, contexts, agent_page):
    group = admin.group(offerTimeoutSeconds=600)
    empty = admin.group()  # nobody serves it: sessions wait there
    alice = admin.agent([group], name="Alice Live")
    page = sign_in(contexts, admin.supervisor("supervisor"))
    live_requests = []
    page.on("request", lambda request: live_requests.append(request.url) if "/metrics/live" in request.url else None)
    page.locator("#live-state").get_by_text("Live").wait_for()

    # An agent logs in: the panel shows it available, pushed, not fetched.
    agent = agent_page(alice)
    agent.call("() => TCCC.Agent.online()")
    page.locator(f"#live-agents tr[data-live-agent='{alice}']").get_by_text("Available").wait_for()

    # A chat rings at the agent and one waits in the empty group; the oldest wait counts up.
    ringing = admin.request("POST", "/api/v1/sessions", {"type": "im", "skillGroupId": group, "customer": {"nickname": "Ann"}}, expect=201)["sessionId"]
    admin.request("POST", "/api/v1/sessions", {"type": "phone", "skillGroupId": empty}, expect=201)
    waiting_row = page.locator(f"#live-groups tr[data-live-group='{empty}']")
    page.wait_for_function("""(id) => { const row = document.querySelector(`#live-groups tr[data-live-group='${id}']`);
        return row && row.children[1].textContent === '1'; }""", arg=empty)
    first = waiting_row.locator("td").nth(2).inner_text()
    page.wait_for_function("""([id, first]) => document.querySelector(`#live-groups tr[data-live-group='${id}']`)
        .children[2].textContent !== first""", arg=[empty, first])
    assert int(page.locator("#live-waiting").inner_text()) >= 1

    # The agent accepts and ends the chat: today's figures move, and the agent shows its session.
    agent.call("(id) => tccc.Chat.accept({sessionId: id})", ringing)
    page.locator(f"#live-agents tr[data-live-agent='{alice}']").get_by_text("Busy").wait_for()
    agent.call("(id) => tccc.Chat.end({sessionId: id})", ringing)
    page.wait_for_function("""(id) => { const row = document.querySelector(`#live-groups tr[data-live-group='${id}']`);
        return row && row.children[5].textContent === '1' && row.children[6].textContent === '1'; }""", arg=group)
    row = page.locator(f"#live-groups tr[data-live-group='{group}']").inner_text()
    assert "100 %" in row, row  # answered at once: within the service level

    # All of that came over the one stream the page opened at sign-in: nothing was asked again.
    assert live_requests == [], live_requests
    screenshot(page, "supervisor-live")


def test_reports_draw_trends_beside_the_table_and_download_as_csv(admin, contexts, agent_page):
    group = admin.group(offerTimeoutSeconds=600, name="Reported Group")
    bob = admin.agent([group], name="Bob Report")
    agent = agent_page(bob)
    agent.call("() => TCCC.Agent.online()")
    for _ in range(3):
        session = admin.request("POST", "/api/v1/sessions", {"type": "im", "skillGroupId": group, "customer": {"nickname": "Ann"}}, expect=201)["sessionId"]
        agent.wait_event("callIn", {"sessionId": session})
        agent.call("(id) => tccc.Chat.accept({sessionId: id})", session)
        agent.call("(id) => tccc.Chat.end({sessionId: id})", session)
    left = admin.request("POST", "/api/v1/sessions", {"type": "im", "skillGroupId": group, "customer": {"nickname": "Ann"}}, expect=201)["sessionId"]
    admin.end(left)

    page = sign_in(contexts, admin.supervisor("supervisor"))
    page.get_by_label("Report zone").fill("UTC")
    page.get_by_label("Report interval").select_option("hour")
    page.get_by_role("button", name="Show").click()
    page.locator("#report-charts[data-shown='skillGroup hour UTC']").wait_for(state="attached")
    row = page.locator(f"#report-table tr[data-subject='{group}']")
    row.wait_for()
    cells = row.locator("td.num").all_inner_texts()
    assert row.locator("td.subject").text_content() == "Reported Group"
    assert cells[0] == "4" and cells[1] == "3", cells  # offered, accepted
    # Two charts drawn in SVG, one line per figure, with points for every hour of the range.
    for chart, series in (("#report-chart-counts", ["offered", "accepted", "abandoned"]),
                          ("#report-chart-rates", ["serviceLevel", "abandonmentRate"])):
        drawn = page.locator(f"{chart} path.series").evaluate_all("(paths) => paths.map(p => p.dataset.series)")
        assert drawn == series, drawn
    offered = page.locator("#report-chart-counts path[data-series='offered']").get_attribute("d")
    assert offered.count("L") > 24, offered  # a line through a week of hours

    # The download is the same report as CSV, with the page's sign-in.
    href = page.locator("#report-csv").get_attribute("href")
    assert href.startswith("/api/v1/reports/skill-groups.csv?") and "interval=hour" in href, href
    answer = page.request.get(href)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text().splitlines()
    assert lines[0].startswith("start,end,skillGroup,name,offered,"), lines[0]
    assert sum(int(line.split(",")[4]) for line in lines[1:] if f",{group}," in line) == 4

    # Agents: the same view per agent, with occupancy.
    page.locator("#report-dimension").select_option("agent")
    page.get_by_role("button", name="Show").click()
    page.locator("#report-charts[data-shown='agent hour UTC']").wait_for(state="attached")
    page.locator(f"#report-table tr[data-subject='{bob}']").wait_for()
    assert "Occupancy %" in page.locator("#report-table thead").text_content()

    # A bad zone is refused in the server's words; the last report stays.
    page.get_by_label("Report zone").fill("Atlantis/Nowhere")
    page.get_by_role("button", name="Show").click()
    page.locator("#report-error").get_by_text("Atlantis/Nowhere").wait_for()
    page.get_by_label("Report zone").fill("UTC")
    page.locator("#report-dimension").select_option("skillGroup")
    page.get_by_role("button", name="Show").click()
    page.locator(f"#report-table tr[data-subject='{group}']").wait_for()
    page.locator("#reports-card").scroll_into_view_if_needed()
    screenshot(page, "supervisor-reports")
