"""Issue 15: every page's text translatable, English and Simplified Chinese shipped (Public/i18n/).
A browser whose language is Chinese gets Chinese pages; the agent and supervisor pages switch
language with a picker kept in localStorage; the widget follows data-lang; what people write is
marked dir="auto" so right-to-left messages read right."""

import re

from conftest import screenshot
from i18n_sources import PUBLIC, source_keys

ZH = {"locale": "zh-CN"}
PASSWORD = "frequency-hopping"
LATIN = re.compile(r"[A-Za-z]{3,}")


def untranslated(page):
    """English texts the page looked up and the catalogue did not have."""
    return page.evaluate("() => window.SwitchboardI18n.missing()")


def english_left(texts, allowed=()):
    """The texts that still read as English words (ids and names the test made are allowed)."""
    left = []
    for text in texts:
        rest = text
        for word in allowed:
            rest = rest.replace(word, "")
        if LATIN.search(rest):
            left.append(text)
    return left


def test_every_text_the_pages_use_has_a_chinese_translation(contexts):
    page = contexts().new_page()
    page.goto("/")
    catalogue = page.evaluate("""() => new Promise(resolve => {
        const script = document.createElement('script');
        script.src = '/i18n/zh-CN.js';
        const add = window.SwitchboardI18n.add;
        window.SwitchboardI18n.add = (code, messages) => { add(code, messages); resolve(messages); };
        document.head.appendChild(script);
    })""")
    keys = source_keys()
    assert len(keys) > 400, "the source scan found too few texts: " + str(len(keys))
    missing = sorted(keys - set(catalogue))
    assert missing == [], "texts without a zh-CN translation: " + repr(missing[:20])
    # Each English text is there once (a second entry would silently win over the first).
    entries = re.findall(r"^\s*(?:'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"):", (PUBLIC / "i18n/zh-CN.js").read_text(), re.M)
    assert len(entries) == len(catalogue), "texts twice in zh-CN.js: " + repr(sorted({a or b for a, b in entries if [x or y for x, y in entries].count(a or b) > 1}))
    # Each translation keeps the placeholders of its English text.
    for key, text in catalogue.items():
        assert sorted(set(re.findall(r"\{\w+\}", key))) == sorted(set(re.findall(r"\{\w+\}", text))), key


def test_a_chinese_browser_gets_the_agent_page_and_workbench_in_chinese(admin, contexts, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Hedy Lamarr", password=PASSWORD)
    page = contexts(viewport={"width": 1366, "height": 800}, **ZH).new_page()
    page.goto("/agent/")
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    assert page.locator("#login-title").inner_text() == "登录"
    page.get_by_label("用户 ID").fill(user)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    workbench = page.locator("tccc-workbench")
    workbench.locator(".panel").wait_for()
    page.evaluate("() => TCCC.Agent.online()")
    page.wait_for_function("() => TCCC.Agent.getStatus() === 'free'")

    customer = customer_page(group, context=contexts(**ZH))
    session = customer.start("Ann", "你好，我的订单在哪里？")
    offer = workbench.locator(f".offer[data-key='{session}']")
    offer.wait_for()
    assert offer.locator("button.accept").inner_text() == "接听"
    offer.locator("button.accept").click()
    workbench.locator(".transcript").get_by_text("你好，我的订单在哪里？").wait_for()
    customer.wait_text("Hedy Lamarr 已加入对话")
    screenshot(page, "workbench-zh-CN")

    # The main controls, as a person sees and hears them: no English left.
    controls = page.evaluate("""() => {
        const root = document.querySelector('tccc-workbench').shadowRoot;
        const seen = node => node.offsetParent !== null || node.getClientRects().length > 0;
        const out = [];
        root.querySelectorAll('button, select, textarea, input, h2, .empty, .placeholder, .who .conn, legend').forEach(node => {
            if (!seen(node)) return;
            if (node.tagName === 'SELECT') out.push(node.options[node.selectedIndex].text);
            else out.push((node.innerText || '').trim());
            ['aria-label', 'placeholder', 'title'].forEach(name => { if (node.getAttribute(name)) out.push(node.getAttribute(name)); });
        });
        return out.filter(Boolean);
    }""")
    assert "转接" in controls and "结束" in controls and "发送" in controls and "忙碌（会话中）" in controls, controls
    assert english_left(controls, allowed=["Hedy Lamarr", "Ann", user, session, "Switchboard", "Alt+Shift+", "Shift+Enter", "Enter"]) == [], controls

    # The customer's widget in Chinese too, and nothing either page looked up was untranslated.
    assert customer.w(".compose button[type=submit]").inner_text() == "发送"
    assert customer.w(".leave").inner_text() == "结束咨询"
    assert customer.w(".w").get_attribute("lang") == "zh-CN"
    screenshot(customer.page, "widget-zh-CN")
    assert untranslated(page) == []
    assert untranslated(customer.page) == []


def test_the_language_picker_switches_the_agent_page_and_keeps_the_login(admin, contexts):
    group = admin.group()
    user = admin.agent([group], name="Grace Hopper", password=PASSWORD)
    page = contexts().new_page()
    page.goto("/agent/")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.get_by_label("User id").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    workbench = page.locator("tccc-workbench")
    workbench.locator(".panel").wait_for()
    assert workbench.locator("#tccc-h-live").text_content() == "My sessions"

    page.get_by_label("Language").select_option("zh-CN")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    # Still signed in after the reload, now in Chinese; the choice is kept for the next visit.
    workbench.locator(".panel").wait_for()
    assert workbench.locator("#tccc-h-live").text_content() == "我的会话"
    assert page.locator("#sign-out").inner_text() == "退出登录"
    assert page.evaluate("() => localStorage.getItem('switchboard.language')") == "zh-CN"
    page.get_by_label("语言").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    workbench.locator(".panel").wait_for()
    assert workbench.locator("#tccc-h-live").text_content() == "My sessions"
    # ?lang= on the address wins over the kept choice and the browser's language.
    page.goto("/agent/?lang=zh-CN")
    workbench.locator(".panel").wait_for()
    assert workbench.locator("#tccc-h-live").text_content() == "我的会话"


def test_the_widget_follows_data_lang_and_the_browser(admin, contexts, customer_page):
    group = admin.group()
    english = customer_page(group)
    english.w(".launcher").click()
    assert english.w(".start button[type=submit]").inner_text() == "Start chat"
    context = contexts()
    # The API appears once the catalogue is in, and the page hears so.
    context.add_init_script("window.__ready = 0; addEventListener('switchboard-chat-ready', () => { window.__ready += 1; });")
    chinese = customer_page(group, attrs='data-lang="zh-CN"', context=context)
    assert chinese.page.evaluate("() => window.__ready") == 1
    chinese.w(".launcher").click()
    assert chinese.w(".start button[type=submit]").inner_text() == "开始咨询"
    assert chinese.w(".launcher .label").inner_text() == "Chat with Acme"  # the page's own title stays
    # A Chinese browser with data-lang="en": the page's choice wins.
    pinned = customer_page(group, attrs='data-lang="en"', context=contexts(**ZH))
    pinned.w(".launcher").click()
    assert pinned.w(".start button[type=submit]").inner_text() == "Start chat"


def test_the_supervisor_page_in_chinese(admin, contexts):
    supervisor = admin.supervisor("admin", name="Ada Admin", password="watch the queues")
    group = admin.group(name="Returns desk")
    page = contexts(viewport={"width": 1366, "height": 900}, **ZH).new_page()
    page.goto("/supervisor/")
    assert page.locator("#signin-title").inner_text() == "班长席登录"
    page.get_by_label("用户 ID", exact=True).fill(supervisor)
    page.get_by_label("密码", exact=True).fill("watch the queues")
    page.get_by_role("button", name="登录").click()
    page.locator(f"#queues tr[data-group='{group}']").wait_for()
    page.locator("#live-state.ok").wait_for()
    assert page.locator("#queues-title").inner_text() == "队列"
    assert page.locator("#live-state").inner_text() == "实时"
    headers = page.eval_on_selector_all("#dashboard th", "nodes => nodes.filter(n => n.offsetParent).map(n => n.innerText.trim()).filter(Boolean)")
    assert english_left(headers, allowed=["SL", "CSV"]) == [], headers
    screenshot(page, "supervisor-zh-CN")
    assert untranslated(page) == []


def test_messages_from_people_are_marked_dir_auto(admin, agent_page, customer_page):
    group = admin.group(offerTimeoutSeconds=60)
    agent = agent_page(admin.agent([group]), attrs='data-ui="page"')
    agent.call("() => TCCC.Agent.online()")
    customer = customer_page(group)
    arabic = "مرحبا، أين طلبي؟"
    session = customer.start("Layla", arabic)
    agent.wait_event("callIn", {"sessionId": session})
    agent.call("(id) => TCCC.Chat.accept({sessionId: id})", session)
    agent.call("() => TCCC.UI.showWorkbench()")
    agent.wb(f".sessions-list li[data-key='{session}'] button").click()
    bubble = agent.wb(".transcript .msg.customer .text")
    bubble.get_by_text(arabic).wait_for()
    assert bubble.get_attribute("dir") == "auto"
    # dir=auto makes the bubble's text right to left; the agent's English reply stays left to right.
    assert bubble.evaluate("n => getComputedStyle(n).direction") == "rtl"
    agent.call("(id) => TCCC.Chat.sendMessage({sessionId: id, text: 'One moment please.'})", session)
    customer.wait_text("One moment please.")
    mine = customer.w(".log .msg.customer .text").first
    theirs = customer.w(".log .msg.agent .text").first
    assert mine.get_attribute("dir") == "auto" and mine.evaluate("n => getComputedStyle(n).direction") == "rtl"
    assert theirs.get_attribute("dir") == "auto" and theirs.evaluate("n => getComputedStyle(n).direction") == "ltr"
