"""An agent SDK connection on /ws/agent for the Python suites (TCCC server API, webhooks): the
wire protocol the browser SDK speaks, with a reader thread that keeps every frame. Each suite's
conftest puts this directory on sys.path."""

import itertools
import json
import threading
import time

_ids = itertools.count(1)


class Agent:
    """An agent SDK connection on /ws/agent (the wire protocol the browser SDK speaks), for the
    tests that need an agent online or a login to happen: a reader thread keeps every frame."""

    def __init__(self, server, token=None, hello=None, sdk_app_id=None):
        from websockets.sync.client import connect

        self.frames = []
        self._changed = threading.Condition()
        # On a server hosting several tenants, the SdkAppId picks the tenant (docs/tenants.md).
        query = f"?sdkAppId={sdk_app_id}" if sdk_app_id is not None else ""
        self._socket = connect(server.base.replace("http://", "ws://") + "/ws/agent" + query, open_timeout=10)
        threading.Thread(target=self._read, daemon=True).start()
        self.send(hello or {"v": 1, "type": "hello", "token": token})
        self.welcome = self.wait_for(lambda f: f.get("type") in ("welcome", "error"), "welcome")

    def _read(self):
        try:
            for text in self._socket:
                with self._changed:
                    self.frames.append(json.loads(text))
                    self._changed.notify_all()
        except Exception:  # noqa: BLE001 - the connection closed
            pass

    def send(self, frame):
        self._socket.send(json.dumps(frame))

    def wait_for(self, predicate, what, timeout=10):
        deadline = time.time() + timeout
        with self._changed:
            while True:
                for frame in self.frames:
                    if predicate(frame):
                        return frame
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError(f"no {what} within {timeout} s; frames: {self.frames[-10:]}")
                self._changed.wait(remaining)

    def event(self, name, session_id=None, timeout=10):
        return self.wait_for(lambda f: f.get("type") == "event" and f.get("name") == name
                             and (session_id is None or (f.get("data") or {}).get("sessionId") == session_id),
                             f"event {name}", timeout)

    def request(self, method, params=None):
        request_id = f"r{next(_ids)}"
        frame = {"v": 1, "type": "request", "id": request_id, "method": method}
        if params is not None:
            frame["params"] = params
        self.send(frame)
        response = self.wait_for(lambda f: f.get("type") == "response" and f.get("id") == request_id, f"response to {method}")
        assert response["status"] == "success", f"{method} failed: {response}"
        return response.get("data")

    def close(self):
        try:
            self._socket.close()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass
