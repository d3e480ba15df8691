"""Issue 15, "What agents expect": attachments both ways in im (pictures shown inline, files
downloaded, refused in the page before uploading when over the limits) and links in messages
clickable, safely, in the widget and the workbench."""

import struct
import zlib

from conftest import screenshot
from test_workbench_canned_replies import sign_in


def png(width, height):
    """A real PNG: a diagonal gradient, so the screenshot shows a picture and not a blank box."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 180)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n% Switchboard test invoice\n" + bytes(range(256)) * 8


def chat_with(admin, contexts, customer_page, first):
    """An agent at the workbench (1366 wide) holding a chat that the widget started with `first`."""
    group = admin.group(offerTimeoutSeconds=60)
    user = admin.agent([group], name="Grace Hopper", password="compiler-1952")
    page, workbench = sign_in(contexts, user, "compiler-1952", {"width": 1366, "height": 800})
    customer = customer_page(group)
    session = customer.start("Ann", first)
    workbench.locator(f".offer[data-key='{session}'] button.accept").click()
    workbench.locator(".transcript .msg.customer").first.wait_for()
    return page, workbench, customer, session


def test_pictures_and_files_go_both_ways_and_links_are_safe(admin, contexts, customer_page):
    first = "My order https://shop.example.com/orders/1207?x=1. Also javascript:alert(1) and <b>bold</b>"
    page, workbench, customer, session = chat_with(admin, contexts, customer_page, first)

    # Links: http(s) only, opening in a new tab without an opener; the rest stays text.
    for where in (workbench.locator(".transcript"), customer.w(".log")):
        link = where.locator("a.msg-link")
        link.first.wait_for()
        assert link.count() == 1
        assert link.get_attribute("href") == "https://shop.example.com/orders/1207?x=1"
        assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
        assert where.locator("b").count() == 0 and where.get_by_text("javascript:alert(1) and <b>bold</b>").count() == 1

    # The customer sends a picture: the agent sees it inline, fetched with the agent's token.
    picture = png(160, 100)
    customer.w("input.attach-input").set_input_files({"name": "receipt.png", "mimeType": "image/png", "buffer": picture})
    shown = workbench.locator(".transcript figure.attachment.image img[alt='receipt.png']")
    shown.wait_for()
    page.wait_for_function("""() => { const img = document.querySelector('tccc-workbench').shadowRoot
        .querySelector(".transcript figure.attachment img"); return img && img.complete && img.naturalWidth === 160; }""")
    assert shown.get_attribute("src").startswith("blob:")
    customer.w(".log figure.attachment.image img[alt='receipt.png']").wait_for()

    # The agent sends a PDF with the paper clip: the widget offers it as a download.
    workbench.locator("input.attach-input").set_input_files({"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF})
    offered = customer.w(".log button.attachment.file")
    offered.wait_for()
    assert "invoice.pdf" in offered.inner_text()
    workbench.locator(".transcript button.attachment.file").wait_for()
    with customer.page.expect_download() as download:
        offered.click()
    assert download.value.suggested_filename == "invoice.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF

    # Both are in the record, as files with their messages.
    messages = admin.get(f"/api/v1/sessions/{session}/messages")["messages"]
    files = [(m["from"], m["attachment"]["name"], m["attachment"]["kind"]) for m in messages if "attachment" in m]
    assert files == [("customer", "receipt.png", "image"), ("agent", "invoice.pdf", "file")]
    screenshot(page, "workbench-attachments")
    customer.page.set_viewport_size({"width": 390, "height": 760})
    screenshot(customer.page, "widget-attachments")


def test_files_over_the_limits_are_refused_in_the_page_before_uploading(admin, contexts, customer_page):
    page, workbench, customer, session = chat_with(admin, contexts, customer_page, "Hello")
    uploads = []
    customer.page.on("request", lambda request: uploads.append(request.url) if "/attachments" in request.url else None)
    page.on("request", lambda request: uploads.append(request.url) if "/attachments" in request.url else None)
    customer.page.wait_for_function("""() => document.querySelector('switchboard-chat').shadowRoot
        .querySelector('input.attach-input').getAttribute('accept')""")

    # The widget: a page of HTML, then a picture over the size limit, each named in the error line.
    customer.w("input.attach-input").set_input_files({"name": "page.html", "mimeType": "text/html", "buffer": b"<script>alert(1)</script>"})
    error = customer.w(".compose-error")
    error.wait_for()
    assert "text/html files are not accepted" in error.inner_text()
    big = b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024)
    customer.w("input.attach-input").set_input_files({"name": "huge.png", "mimeType": "image/png", "buffer": big})
    customer.page.wait_for_function("""() => document.querySelector('switchboard-chat').shadowRoot
        .querySelector('.compose-error').innerText.includes('files can be at most 10 MB')""")
    screenshot(customer.page, "widget-attachment-refused")

    # The workbench: the same, in a notice.
    page.wait_for_function("""() => document.querySelector('tccc-workbench').shadowRoot
        .querySelector('input.attach-input').getAttribute('accept')""")
    workbench.locator("input.attach-input").set_input_files({"name": "huge.pdf", "mimeType": "application/pdf", "buffer": big})
    page.wait_for_function("""() => document.querySelector('tccc-workbench').shadowRoot.textContent
        .includes('"huge.pdf" is too large to send: files can be at most 10 MB')""")
    assert uploads == [], uploads
    assert [m["text"] for m in admin.get(f"/api/v1/sessions/{session}/messages")["messages"]] == ["Hello"]
