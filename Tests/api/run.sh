#!/usr/bin/env bash
# Fuzzes the admin and chat APIs with schemathesis, driven by the server's own /openapi.json:
# generated valid and invalid requests, stateful sequences, and every answer checked to be no
# server error (5xx) and to match the documented status codes. Needs `pip install schemathesis`
# and a built server (SWITCHBOARD_BIN, default .build/debug/switchboard). Exit code = schemathesis'.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${SWITCHBOARD_BIN:-.build/debug/switchboard}"
KEY="schemathesis-key-$RANDOM$RANDOM"
DATA="$(mktemp -d)"
OUT="$(mktemp)"
"$BIN" serve --port 0 --data-dir "$DATA" --api-key "$KEY" --log-level error >"$OUT" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA" "$OUT"' EXIT
for _ in $(seq 1 100); do
    PORT="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$OUT" | grep -o '[0-9]*$' || true)"
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "${PORT:-}" ] || { echo "the server did not start: $(cat "$OUT")"; exit 1; }
st run "http://127.0.0.1:$PORT/openapi.json" -H "Authorization: Bearer $KEY" \
    --checks not_a_server_error,status_code_conformance --max-examples "${SCHEMATHESIS_EXAMPLES:-15}" --workers 1 \
    --seed 1 "$@"
