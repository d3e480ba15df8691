#!/usr/bin/env bash
# Runs the webhook delivery tests (docs/webhooks.md): pytest starts a real `switchboard serve` on
# 127.0.0.1 and a receiver (receiver.py, Python's http.server) on 127.0.0.1, both stopped by pid,
# and checks every event arrives at least once, in order per session, with a valid signature,
# through a failing, a stalling and a recovered receiver and a server killed with SIGKILL.
# Assumes `pip install pytest websockets` and a built server (`swift build`, or
# SWITCHBOARD_BIN=/path/to/switchboard). Exit code = pytest's; extra arguments go to pytest.
cd "$(dirname "$0")" || exit 2
exec python3 -m pytest -p no:cacheprovider "$@" .
