"""TCCC.overrideButtonConfig: the workbench's buttons by TCCC's types (transferSeat,
transferSkillGroup, holdToggle, showKeyboard; forwardOut and selfService, which Switchboard lacks,
listed hidden), applied at once and on every render, refused with the reason and no change when
the function returns something wrong, and kept when called before `ready` (docs/browser-sdk.md)."""

from conftest import screenshot
from test_calls import customer_stats, start_call, wait_for_media

TYPES = ["transferSeat", "transferSkillGroup", "holdToggle", "forwardOut", "showKeyboard", "selfService"]

# A page's override, as integrations write it: map over the list, change some entries.
OVERRIDE = """(changes) => TCCC.overrideButtonConfig(list => list.map(b => changes[b.type] ? Object.assign({}, b, changes[b.type]) : b))"""

BEFORE_READY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CRM</title></head>
<body>
<h1>CRM with the TCCC workbench</h1>
<script src="/sdk/tccc.js" data-token="{token}" data-sdk-app-id="1400001" data-userid="{user}"></script>
<script>
  window.__connectionAtCall = TCCC.getState().connection;
  window.__answer = TCCC.overrideButtonConfig(function (list) {{
    list.forEach(function (button) {{
      if (button.type === 'showKeyboard') button.text = 'Dial keys';
      if (button.type === 'transferSkillGroup') button.visible = false;
    }});
    return list;
  }});
  window.__ready = false;
  TCCC.on(TCCC.events.ready, function () {{ window.__ready = true; }});
</script>
</body></html>"""


def config(agent):
    return agent.call("() => TCCC._buttonConfig().map(({relabelled, ...b}) => b)")


def open_call(admin, agent_page, customer_page):
    """A voice call the agent answered, open in the page-layout workbench (the dial pad beside the
    call bar)."""
    group = admin.group(offerTimeoutSeconds=30)
    agent = agent_page(admin.agent([group], name="Bea"), attrs='data-ui="page"')
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    session = start_call(customer, "Otto")
    agent.wait_event("callIn", {"sessionId": session})
    assert agent.call("(id) => TCCC.Call.accept({sessionId: id})", session) == {"status": "success"}
    wait_for_media(lambda: customer_stats(customer))
    agent.wb(f".sessions-list [data-key='{session}']").click()
    agent.wb(".callbar .hold").wait_for()
    return agent, session


def test_the_function_gets_every_tccc_type_and_what_switchboard_lacks_is_hidden(admin, agent_page):
    agent = agent_page(admin.agent([admin.group()]))
    answer = agent.call("() => TCCC.overrideButtonConfig(list => { window.__given = list; })")
    assert answer == {"status": "success"}
    given = agent.call("() => window.__given")
    assert [b["type"] for b in given] == TYPES
    for button in given:
        assert isinstance(button["text"], str) and button["text"]
        assert isinstance(button["visible"], bool) and isinstance(button["disabled"], bool)
    lacking = {b["type"]: b for b in given if b["type"] in ("forwardOut", "selfService")}
    assert all(not b["visible"] for b in lacking.values())
    assert "outside number" in lacking["forwardOut"]["note"] and "IVR" in lacking["selfService"]["note"]
    assert all(b["visible"] and not b["disabled"] for b in given if b["type"] not in lacking)
    # Returning nothing keeps the list.
    assert config(agent) == given


def test_hidden_group_transfer_disabled_hold_and_relabelled_keypad_apply_at_once_and_on_every_render(admin, agent_page, customer_page):
    agent, session = open_call(admin, agent_page, customer_page)
    assert agent.wb(".callbar .hold").is_enabled() and agent.wb(".dialpad .keys-toggle").inner_text() == "Keypad"

    answer = agent.call(OVERRIDE, {"transferSkillGroup": {"visible": False}, "holdToggle": {"disabled": True},
                                   "showKeyboard": {"text": "Dial keys"}, "transferSeat": {"text": "Hand to a colleague"}})
    assert answer == {"status": "success"}
    # At once: the open call bar and the dial pad.
    assert agent.wb(".callbar .hold").is_disabled()
    assert agent.wb(".dialpad .keys-toggle").inner_text() == "Dial keys"
    # The transfer form: agents under the page's name, no skill groups.
    agent.wb("button.transfer-toggle").click()
    agent.wb(".transfer-agent-choices legend").get_by_text("Hand to a colleague").wait_for()
    assert agent.wb(".transfer-agent-choices").is_visible()
    assert agent.wb(".transfer-group-choices").is_hidden()
    screenshot(agent.page, "workbench-button-config")
    agent.wb(".transfer-cancel").click()

    # On every render: the call held (through the API, which the buttons do not limit) and muted
    # re-renders the call bar; Hold stays disabled and shows the call's state.
    assert agent.call("(id) => TCCC.Call.hold({sessionId: id})", session)["status"] == "success"
    agent.wb(".callbar .mute").click()
    agent.wb(".callbar .call-label").get_by_text("On hold").wait_for()
    assert agent.wb(".callbar .hold").is_disabled() and agent.wb(".callbar .hold").inner_text() == "Resume"
    assert agent.call("(id) => TCCC.Call.unHold({sessionId: id})", session)["status"] == "success"
    agent.wb(".callbar .call-label").get_by_text("Connected").wait_for(timeout=15000)
    assert agent.wb(".callbar .hold").is_disabled() and agent.wb(".callbar .hold").inner_text() == "Hold"

    # The keypad hidden: the dial pad's button and keys, and the call bar's digits.
    assert agent.call(OVERRIDE, {"showKeyboard": {"visible": False}})["status"] == "success"
    assert agent.wb(".dialpad .keys-toggle").is_hidden() and agent.wb(".callbar .keypad").is_hidden()

    # Back as it was: everything shows and works again.
    answer = agent.call(OVERRIDE, {"transferSkillGroup": {"visible": True}, "holdToggle": {"disabled": False},
                                   "showKeyboard": {"visible": True, "text": "Keypad"}, "transferSeat": {"text": "Transfer to agent"}})
    assert answer == {"status": "success"}
    assert agent.wb(".callbar .hold").is_enabled() and agent.wb(".callbar .keypad").is_visible()
    assert agent.wb(".dialpad .keys-toggle").inner_text() == "Keypad"
    agent.wb("button.transfer-toggle").click()
    assert agent.wb(".transfer-group-choices").is_visible()
    assert agent.wb(".transfer-agent-choices legend").text_content() == "Agents"


def test_both_transfers_hidden_take_the_transfer_button_away(admin, agent_page, customer_page):
    agent, _ = open_call(admin, agent_page, customer_page)
    assert agent.wb("button.transfer-toggle").is_visible()
    assert agent.call(OVERRIDE, {"transferSkillGroup": {"disabled": True}, "transferSeat": {"disabled": True}})["status"] == "success"
    assert agent.wb("button.transfer-toggle").is_disabled()
    assert agent.call(OVERRIDE, {"transferSkillGroup": {"visible": False}, "transferSeat": {"visible": False}})["status"] == "success"
    assert agent.wb("button.transfer-toggle").is_hidden()


def test_a_wrong_answer_is_refused_with_the_reason_and_changes_nothing(admin, agent_page):
    agent = agent_page(admin.agent([admin.group()]))
    agent.call("() => TCCC.UI.showWorkbench()")
    before = config(agent)
    cases = [
        ("() => TCCC.overrideButtonConfig('holdToggle')", "needs a function"),
        ("() => TCCC.overrideButtonConfig(() => ({holdToggle: false}))", "must return the button list (an array)"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'conference', visible: false}])", "unknown button type 'conference'"),
        ("() => TCCC.overrideButtonConfig(() => [{visible: false}])", "type must be a string"),
        ("() => TCCC.overrideButtonConfig(() => ['holdToggle'])", "must be an object"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'holdToggle', disabled: 'yes'}])", "disabled must be a boolean"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'showKeyboard', text: 42}])", "text must be a string"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'showKeyboard', text: '  '}])", "text must not be empty"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'holdToggle', onClick: 'x'}])", "unknown field 'onClick'"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'forwardOut', visible: true}])", "no transfer to an outside number"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'selfService', visible: true}])", "no hand-over to an IVR"),
        ("() => TCCC.overrideButtonConfig(() => [{type: 'holdToggle'}, {type: 'holdToggle'}])", "listed twice"),
        ("() => TCCC.overrideButtonConfig(() => { throw new Error('boom'); })", "threw: boom"),
        # One bad entry refuses the whole list: the good one before it is not applied either.
        ("() => TCCC.overrideButtonConfig(() => [{type: 'showKeyboard', text: 'Dial keys'}, {type: 'nope'}])", "unknown button type 'nope'"),
    ]
    for expression, reason in cases:
        answer = agent.call(expression)
        assert answer["status"] == "error" and reason in answer["errorMsg"], (expression, answer)
        assert "nothing was changed" in answer["errorMsg"] or "needs a function" in answer["errorMsg"], answer
        assert config(agent) == before, expression
    assert agent.wb(".dialpad .keys-toggle").inner_text() == "Keypad" and agent.wb(".dialpad .keys-toggle").is_enabled()
    # Hiding what Switchboard lacks, or leaving it hidden, is fine.
    assert agent.call("() => TCCC.overrideButtonConfig(list => list.map(b => b.type === 'forwardOut' ? {...b, visible: false, text: 'Forward'} : b))") == {"status": "success"}
    assert [b for b in config(agent) if b["type"] == "forwardOut"][0]["text"] == "Forward"


def test_a_configuration_made_before_ready_applies_when_the_workbench_renders(admin, contexts, server):
    agent_id = admin.agent([admin.group()])
    context = contexts()
    html = BEFORE_READY_PAGE.format(token=admin.token(agent_id), user=agent_id)
    path = f"/__test__/before-ready-{agent_id}.html"
    context.route(server.base + path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.goto(path)
    page.wait_for_function("() => window.__ready")
    assert page.evaluate("() => window.__connectionAtCall") != "ready"
    assert page.evaluate("() => window.__answer") == {"status": "success"}
    page.evaluate("() => TCCC.UI.showWorkbench()")
    workbench = page.locator("tccc-workbench")
    workbench.locator(".dialpad .keys-toggle").get_by_text("Dial keys").wait_for()
    state = page.evaluate("() => TCCC._buttonConfig()")
    assert [b for b in state if b["type"] == "transferSkillGroup"][0]["visible"] is False
    assert [b for b in state if b["type"] == "showKeyboard"][0]["relabelled"] is True
