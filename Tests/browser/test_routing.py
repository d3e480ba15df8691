"""Offers that ring out (autoTransfer), transfers to an agent and to a skill group, admin ends."""

import time


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

    # To the billing group from the workbench: keyboard only.
    cat.call("() => TCCC.Agent.online()")
    ben.wb("button.transfer-toggle").click()
    target = ben.wb("input.transfer-target")
    target.wait_for()
    ben.wb("input[value=group]").check()
    target.fill(billing)
    target.press("Enter")
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
