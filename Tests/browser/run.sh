#!/usr/bin/env bash
# Runs the browser test suite (Playwright + Debian's chromium against the real server).
# Assumes: `apt-get install -y chromium node-typescript fonts-wqy-microhei`, `pip install pytest playwright axe-playwright-python`, and a
# built server (`swift build`, or SWITCHBOARD_BIN=/path/to/switchboard). Exit code = pytest's.
# Extra arguments go to pytest, e.g. `Tests/browser/run.sh -k reconnect -x`.
cd "$(dirname "$0")" || exit 2
exec python3 -m pytest -p no:cacheprovider "$@" .
