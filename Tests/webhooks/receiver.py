"""A webhook receiver for the delivery tests: Python's http.server on 127.0.0.1 only.

Every POST is appended to a JSON-lines log (headers, raw body, what was answered) and flushed
before the answer, so the test sees each attempt even when the answer never leaves (a stall, or
the server killed meanwhile). How it answers is set through `POST /_control` with
`{"mode": "ok" | "fail" | "stall", "stall_seconds": N}`:
  ok     answers 204
  fail   answers 503
  stall  logs the request, then holds it for stall_seconds before answering 204 (the sender
         gives up first when its timeout is shorter)

Usage: receiver.py LOG_FILE   (prints "listening on PORT" once ready)
"""

import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_PATH = sys.argv[1]
state = {"mode": "ok", "stall_seconds": 5.0}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the JSON log is the record
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path == "/_control":
            with lock:
                state.update(json.loads(body))
            self.send_response(204)
            self.end_headers()
            return
        with lock:
            mode, stall = state["mode"], float(state["stall_seconds"])
        answer = {"ok": 204, "fail": 503, "stall": 204}[mode]
        record = {
            "at": time.time(), "path": self.path, "mode": mode, "status": answer,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": base64.b64encode(body).decode(),
        }
        with lock, open(LOG_PATH, "a") as log:
            log.write(json.dumps(record) + "\n")
            log.flush()
        if mode == "stall":
            time.sleep(stall)
        try:
            self.send_response(answer)
            self.send_header("Content-Length", "0" if answer == 204 else "16")
            self.end_headers()
            if answer != 204:
                self.wfile.write(b"receiver is down")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
