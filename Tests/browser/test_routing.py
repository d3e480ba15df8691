"""Offers that ring out (autoTransfer), transfers to an agent and to a skill group, admin ends."""

import time


def focused_text(agent):
    """The text of the element focused inside the workbench's shadow root."""
    return agent.call("() => document.querySelector('tccc-workbench').shadowRoot.activeElement.textContent")


def test_offer_times_out_and_moves_to_the_next_agent(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=2)
    first_id = admin.agent([group], name="First")
    second_id = admin.agent([group], name="Second")
    first = agent_page(first_id)
    second = agent_page(second_id)
    first.call("() => TCCC.Agent.online()")
    time.sleep(0.05)
    second.call("() => TCCC.Agent.online()")

    customer = customer_page(group)
    session = customer.start("Cy")
    # Longest idle first: the agent that went online first gets the offer.
    offer = first.wait_event("callIn", {"sessionId": session})
    assert offer["timeout"] == 2
    first.call("() => TCCC.UI.showWorkbench()")
    first.wb(f".offer[data-key='{session}']").wait_for()

    # Nobody accepts: after 2 s it rings out here and moves on.
    first.wait_event("autoTransfer", {"sessionId": session}, timeout=8000)
    assert first.wait_event("statusChanged", {"status": "notReady"})["cause"] == "missedOffer"
    assert first.call("() => TCCC.Agent.getStatus()") == "notReady"
    first.wb(f".offer[data-key='{session}']").wait_for(state="detached")
    assert "missed" in first.wb(f".history-list li[data-key^='{session}@']").inner_text()
    assert first.wb(".fab .badge").is_hidden()

    second.wait_event("callIn", {"sessionId": session})
    # The missed agent can no longer take it.
    late = first.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    assert late["status"] == "error" and session in late["errorMsg"]
    assert second.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("Second joined the chat")
    assert first.count("callIn") == 1 and second.count("userAccessed") == 1


def test_transfer_to_an_agent_then_to_a_skill_group(admin, agent_page, customer_page):
    front = admin.group(offerTimeoutSeconds=30)
    billing = admin.group(offerTimeoutSeconds=30, name="Billing")
    ann_id = admin.agent([front], name="Ann")
    ben_id = admin.agent([front], name="Ben")
    cat_id = admin.agent([billing], name="Cat")
    ann, ben, cat = agent_page(ann_id), agent_page(ben_id), agent_page(cat_id)
    ann.call("() => TCCC.Agent.online()")
    customer = customer_page(front)
    session = customer.start("Dee", "I was charged twice")
    ann.wait_event("callIn", {"sessionId": session})
    assert ann.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("Ann joined the chat")
    ann.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'Let me get a colleague.'})", session)

    # To an agent that is offline: refused, nothing changes.
    refused = ann.call("([id, to]) => TCCC.Chat.transfer({sessionId: id, userId: to})", [session, ben_id])
    assert refused["status"] == "error" and refused["errorMsg"]
    assert [s["sessionId"] for s in ann.call("() => TCCC.getState().sessions")] == [session]

    # To Ben, now online: Ann gets transfer, Ben a fresh callIn for the same session.
    ben.call("() => TCCC.Agent.online()")
    answer = ann.call("([id, to]) => TCCC.Chat.transfer({sessionId: id, userId: to, skillGroupId: ''})", [session, ben_id])
    assert answer == {"status": "success"}
    assert ann.events("transfer")[-1] == {"sessionId": session, "userId": ben_id}
    assert ann.call("() => TCCC.getState().sessions") == []
    ann.page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")
    assert ann.events("statusChanged")[-1]["status"] == "free"
    ben.wait_event("callIn", {"sessionId": session})
    customer.wait_text("You are being transferred to another agent…")
    assert ben.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("Ben joined the chat")
    # The session kept its history: Ben sees what was said before.
    ben.call("() => TCCC.UI.showWorkbench()")
    ben.wb(".transcript").get_by_text("I was charged twice").wait_for()
    ben.wb(".transcript").get_by_text("Let me get a colleague.").wait_for()

    # To the billing group from the workbench, picked from the server's list with the keyboard.
    cat.call("() => TCCC.Agent.online()")
    ben.wb("button.transfer-toggle").click()
    option = ben.wb(f".transfer-option[data-kind=group][data-id='{billing}']")
    option.wait_for()
    assert "Billing" in option.inner_text() and "0 waiting · 1 online" in option.inner_text()
    option.locator("input").focus()
    ben.page.keyboard.press("Space")
    ben.page.keyboard.press("Tab")
    assert focused_text(ben) == "Transfer"
    ben.page.keyboard.press("Enter")
    moved = ben.wait_event("transfer", {"sessionId": session})
    assert moved == {"sessionId": session, "skillGroupId": billing}
    assert "transferred to group" in ben.wb(f".history-list li[data-key^='{session}@']").inner_text()
    cat.wait_event("callIn", {"sessionId": session})
    assert cat.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    customer.wait_text("Cat joined the chat")
    assert admin.session(session)["skillGroupId"] in (front, billing)
    history = [entry["kind"] for entry in admin.session(session)["history"]]
    assert history.count("transferred") == 2, history

    # The admin ends it: the agent holding it hears closeBy admin with the reasons.
    admin.end(session, mainReason="abuse", subReason="spam")
    ended = cat.wait_event("sessionEnded", {"sessionId": session})
    assert ended["closeBy"] == "admin" and ended["mainReason"] == "abuse" and ended["subReason"] == "spam"
    customer.wait_text("The chat was closed by our team.")
    # Ann and Ben no longer held it: they heard nothing of the end.
    assert ann.count("sessionEnded") == 0 and ben.count("sessionEnded") == 0


def test_the_transfer_dialog_lists_who_can_take_the_session(admin, agent_page, customer_page):
    front = admin.group(offerTimeoutSeconds=60, name="Front desk")
    night = admin.group(name="Night shift")
    ann_id = admin.agent([front], name="Ann")
    ben_id = admin.agent([front], name="Ben")
    cat_id = admin.agent([front], name="Cat")
    dee_id = admin.agent([night], name="Dee")  # never online: no transfer target
    ann, ben, cat = agent_page(ann_id), agent_page(ben_id), agent_page(cat_id)
    # Two calls wait for the night shift, where nobody is online.
    for _ in range(2):
        admin.request("POST", "/api/v1/sessions", {"type": "phone", "skillGroupId": night}, expect=201)
    ann.call("() => TCCC.Agent.online()")
    session = customer_page(front).start("Eve")
    ann.wait_event("callIn", {"sessionId": session})
    assert ann.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    ben.call("() => TCCC.Agent.online()")
    cat.call("() => TCCC.Agent.online()")
    cat.call("() => TCCC.Agent.setStatus({status: 'rest', restReason: 'lunch'})")

    ann.call("() => TCCC.UI.showWorkbench()")
    ann.wb("button.transfer-toggle").click()
    agent_option = lambda user: ann.wb(f".transfer-option[data-kind=agent][data-id='{user}']")  # noqa: E731
    group_option = lambda group: ann.wb(f".transfer-option[data-kind=group][data-id='{group}']")  # noqa: E731
    agent_option(ben_id).wait_for()
    assert "Ben" in agent_option(ben_id).inner_text() and "Available" in agent_option(ben_id).inner_text()
    assert "Night shift" in group_option(night).inner_text() and "2 waiting · 0 online" in group_option(night).inner_text()
    assert "Front desk" in group_option(front).inner_text() and "0 waiting · 3 online" in group_option(front).inner_text()
    assert agent_option(ann_id).count() == 0 and agent_option(dee_id).count() == 0, "not herself, nor anyone offline"
    # The keyboard lands on the list.
    assert ann.call("() => document.querySelector('tccc-workbench').shadowRoot.activeElement.name") == "tccc-transfer-target"

    # Cat is on a break: shown, but disabled with the reason, and cannot be picked.
    cat_radio = agent_option(cat_id).locator("input")
    assert cat_radio.is_disabled()
    why = agent_option(cat_id).locator(".target-why")
    assert why.inner_text() == f"agent {cat_id} is rest and cannot take a transfer"
    assert cat_radio.get_attribute("aria-describedby") == why.get_attribute("id")
    assert "On break" in agent_option(cat_id).inner_text()
    # (Playwright itself refuses to click a disabled control's label; a person's click does nothing.)
    agent_option(cat_id).locator("label").click(force=True)
    assert not cat_radio.is_checked()
    assert ann.wb("button.transfer-submit").is_disabled()

    # Back from the break: Refresh shows it.
    cat.call("() => TCCC.Agent.setStatus({status: 'free'})")
    ann.wb("button.transfer-refresh").click()
    agent_option(cat_id).locator("input:not([disabled])").wait_for()
    assert agent_option(cat_id).locator(".target-why").count() == 0

    # Picked, but gone on a break again before the click: not transferred, and the list says why.
    agent_option(cat_id).locator("label").click()
    assert cat_radio.is_checked() and ann.wb("button.transfer-submit").is_enabled()
    cat.call("() => TCCC.Agent.setStatus({status: 'notReady'})")
    ann.wb("button.transfer-submit").click()
    ann.wb(".transfer-status").get_by_text(f"Not transferred: agent {cat_id} is notReady and cannot take a transfer").wait_for()
    agent_option(cat_id).locator("input[disabled]").wait_for()
    assert ann.wb("button.transfer-submit").is_disabled()
    assert ann.count("transfer") == 0

    # Ben can take it.
    agent_option(ben_id).locator("label").click()
    ann.wb("button.transfer-submit").click()
    assert ann.wait_event("transfer", {"sessionId": session}) == {"sessionId": session, "userId": ben_id}
    ben.wait_event("callIn", {"sessionId": session})
    ann.wb(".toast").get_by_text("Transferred to Ben.").wait_for()
    ann.wb("form.transfer").wait_for(state="hidden")


def test_the_transfer_dialog_says_when_the_list_cannot_be_loaded(admin, agent_page, customer_page):
    group = admin.group(name="Help desk")
    ann_id = admin.agent([group], name="Ann")
    ann = agent_page(ann_id)
    ann.call("() => TCCC.Agent.online()")
    session = customer_page(group).start("Flo")
    ann.wait_event("callIn", {"sessionId": session})
    assert ann.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    ann.call("() => TCCC.UI.showWorkbench()")
    ann.wb("button.transfer-toggle").click()
    ann.wb(f".transfer-option[data-kind=group][data-id='{group}']").wait_for()

    # The network goes away for a while: Refresh says so, and nothing stale can be picked.
    ann.call("() => { TCCC.debug.configure({connectWaitMs: 1000}); TCCC.debug.dropConnection(4000); }")
    ann.wb("button.transfer-refresh").click()
    status = ann.wb(".transfer-status")
    status.get_by_text("Could not load whom you can transfer to: not connected to the server after 1 s").wait_for()
    assert status.get_attribute("data-tone") == "bad"
    assert ann.wb(".transfer-option").count() == 0
    assert ann.wb("button.transfer-submit").is_disabled()

    # Back online: Refresh brings the list back.
    ann.page.wait_for_function("() => TCCC.getState().connection === 'ready'")
    ann.wb("button.transfer-refresh").click()
    ann.wb(f".transfer-option[data-kind=group][data-id='{group}']").wait_for()
    assert status.inner_text() == ""


def test_the_transfer_targets_option_overrides_the_servers_list(admin, agent_page, customer_page):
    front = admin.group(name="Front desk")
    billing = admin.group(name="Billing")
    ann_id = admin.agent([front], name="Ann")
    ben_id = admin.agent([front], name="Ben")
    ann = agent_page(ann_id, attrs='data-ui="none"')
    configured = {"skillGroups": [{"skillGroupId": billing, "name": "Billing desk"}], "agents": [ben_id, ann_id]}
    answer = ann.call("([token, targets]) => TCCC.init({token: token, layout: 'floating', transferTargets: targets})",
                      [admin.token(ann_id), configured])
    assert answer["status"] == "success"
    ann.call("() => TCCC.Agent.online()")
    session = customer_page(front).start("Gus")
    ann.wait_event("callIn", {"sessionId": session})
    assert ann.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    ann.call("() => TCCC.UI.showWorkbench()")
    ann.wb("button.transfer-toggle").click()
    ann.wb(".transfer-option").first.wait_for()
    # Exactly the page's targets (less the agent herself), as given: no counts, no Refresh.
    options = ann.wb(".transfer-option")
    assert [options.nth(i).get_attribute("data-id") for i in range(options.count())] == [billing, ben_id]
    assert ann.wb(".transfer-option[data-kind=group]").inner_text().strip() == "Billing desk"
    assert ann.wb("button.transfer-refresh").is_hidden()
    ann.wb(f".transfer-option[data-id='{billing}'] label").click()
    ann.wb("button.transfer-submit").click()
    assert ann.wait_event("transfer", {"sessionId": session}) == {"sessionId": session, "skillGroupId": billing}


def test_get_transfer_targets_in_the_sdk(admin, agent_page, customer_page):
    group = admin.group(name="Desk")
    ann_id = admin.agent([group], name="Ann")
    ben_id = admin.agent([group], name="Ben")
    ann, ben = agent_page(ann_id), agent_page(ben_id)
    ann.call("() => TCCC.Agent.online()")
    session = customer_page(group).start("Hal")
    ann.wait_event("callIn", {"sessionId": session})
    assert ann.call("(id) => TCCC.Chat.accept({sessionId: id})", session) == {"status": "success"}
    ben.call("() => TCCC.Agent.online()")

    # Other tests' groups and agents share this server: look at this test's own.
    plain = ann.call("() => TCCC.Agent.getTransferTargets()")
    assert plain["status"] == "success" and "sessionId" not in plain["data"]
    assert [g for g in plain["data"]["skillGroups"] if g["skillGroupId"] == group] == [
        {"skillGroupId": group, "name": "Desk", "waiting": 0, "membersOnline": 2}]
    mine = [a for a in plain["data"]["agents"] if a["userId"] in (ann_id, ben_id)]
    assert mine == [{"userId": ben_id, "name": "Ben", "status": "free", "connected": True, "skillGroupIds": [group]}]

    held = ann.call("(id) => TCCC.Agent.getTransferTargets({sessionId: id})", session)
    assert held["data"]["sessionId"] == session
    assert [a for a in held["data"]["agents"] if a["userId"] == ben_id][0]["available"] is True

    # Mistakes come back as errors, never as rejections.
    refused = {
        "unknown option": ("() => TCCC.Agent.getTransferTargets({sessionID: 's-1'})",
                           "Agent.getTransferTargets: unknown option 'sessionID'; the only option is sessionId"),
        "not an object": ("() => TCCC.Agent.getTransferTargets('s-1')",
                          'Agent.getTransferTargets takes nothing or an options object, e.g. Agent.getTransferTargets({sessionId: "s-1"})'),
        "not a string": ("() => TCCC.Agent.getTransferTargets({sessionId: 7})", "Agent.getTransferTargets: options.sessionId must be a string"),
        "unknown session": ("() => TCCC.Agent.getTransferTargets({sessionId: 's-does-not-exist'})",
                            "session s-does-not-exist does not exist or has already ended"),
    }
    for case, (expression, message) in refused.items():
        assert ann.call(expression) == {"status": "error", "errorMsg": message}, case
    foreign = ben.call("(id) => TCCC.Agent.getTransferTargets({sessionId: id})", session)
    assert foreign == {"status": "error", "errorMsg": f"session {session} is not held by agent {ben_id}: only the agent that accepted it can transfer it"}
    assert ann.page.evaluate("() => window.__errors") == []
