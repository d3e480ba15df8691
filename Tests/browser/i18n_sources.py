"""The English texts the pages translate, read from their sources: every literal `t('...')` key
(both texts of a `t(cond ? 'a' : 'b')`), every HTML element marked `data-i18n` and every attribute
named by `data-i18n-attr`, plus the labels looked up by variable (listed in DYNAMIC_KEYS).
test_i18n.py checks that each has a Simplified Chinese translation."""

import html
import re
from pathlib import Path

PUBLIC = Path(__file__).resolve().parents[2] / "Public"
SOURCES = ["widget.js", "sdk/chat-content.js", "sdk/ivr-menu.js", "sdk/workbench.js", "sdk/workbench/*.js", "supervisor/*.js",
           "supervisor/index.html", "agent/index.html", "index.html", "i18n/page.js"]
# Keys passed to t() through a variable: the workbench's and customer panel's detail rows, the
# rest reasons, report intervals and the supervisor board's session states.
DYNAMIC_KEYS = ["Name", "Phone", "Number dialled", "Location", "Came from", "Channel", "Skill group", "Called", "Page data",
                "Note", "Visitor id", "Colleague", "Caller", "Calling", "Your number shown", "Caller location", "Menu choices",
                "Answered at", "Session", "lunch", "meeting", "training", "break", "day", "hour", "15 minutes",
                "queued", "ringing", "accepted",
                # the session history's columns and facts, and a recording's status
                "Started", "Type", "Customer", "Group", "Agent", "Outcome", "Recording", "Answered", "Ended", "Talk", "On hold",
                "Number called", "Keys pressed", "Disposition", "Wrap-up note", "Remark", "recording", "failed",
                "Direction", "Queued at", "Queue time", "Ring time", "Hung up by", "End status", "Agents"]

STRING = r"'((?:[^'\\]|\\.)*)'"
CALL = re.compile(r"(?<![\w.])t\(\s*(?:(?:[^()'{},?]|'[^']*')*?\?\s*)?" + STRING + r"(?:\s*:\s*" + STRING + r")?")


def unescape(text):
    return text.replace("\\'", "'").replace('\\"', '"').replace("\\\\", "\\")


def source_keys():
    keys = set(DYNAMIC_KEYS)
    for pattern in SOURCES:
        for path in sorted(PUBLIC.glob(pattern)):
            text = path.read_text()
            for match in CALL.finditer(text):
                keys.update(unescape(k) for k in match.groups() if k)
            if path.suffix == ".html":
                for match in re.finditer(r"<(\w+)[^>]*\sdata-i18n(?:\s[^>]*)?>([^<]*)</\1>", text):
                    keys.add(re.sub(r"\s+", " ", html.unescape(match.group(2))).strip())
                for match in re.finditer(r"<[^>]*\sdata-i18n-attr=\"([^\"]+)\"[^>]*>", text):
                    for name in match.group(1).split(","):
                        value = re.search(r"\s%s=\"([^\"]*)\"" % re.escape(name.strip()), match.group(0))
                        if value:
                            keys.add(html.unescape(value.group(1)))
                title = re.search(r"<title>([^<]*)</title>", text)
                if title:
                    keys.update(part for part in html.unescape(title.group(1)).split(" · ") if part != "Switchboard")
    keys.discard("")
    return keys


if __name__ == "__main__":
    for key in sorted(source_keys()):
        print(key)
