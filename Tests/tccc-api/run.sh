#!/usr/bin/env bash
# Runs the TCCC server API tests (docs/tccc-migration.md): pytest drives a real `switchboard serve`
# on 127.0.0.1 (started and stopped by pid in conftest.py) only through Tencent Cloud's unmodified
# `tencentcloud-sdk-python-ccc` client, plus hand-signed requests for the signature failures the
# SDK cannot produce. test_phone.py starts a second server with the phone channel (rtpengine, as
# .ci/run installs it; skipped without) and the fake carrier of Tests/browser as its trunk.
# Assumes `pip install pytest websockets tencentcloud-sdk-python-ccc` and a built server
# (`swift build`, or SWITCHBOARD_BIN=/path/to/switchboard). Exit code = pytest's; extra arguments go to pytest.
cd "$(dirname "$0")" || exit 2
exec python3 -m pytest -p no:cacheprovider "$@" .
