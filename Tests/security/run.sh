#!/usr/bin/env bash
# Runs the authorization matrix (pytest against the real server, docs/security.md "Authorization
# matrix"): every admin operation in /openapi.json without the key, every session-scoped agent
# SDK method on another agent's session, every customer call on another customer's session.
# Assumes: `pip install pytest websockets` and a built server (`swift build`, or
# SWITCHBOARD_BIN=/path/to/switchboard). Exit code = pytest's. Extra arguments go to pytest.
cd "$(dirname "$0")" || exit 2
exec python3 -m pytest -p no:cacheprovider "$@" .
