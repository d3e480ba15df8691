#!/usr/bin/env bash
# Fuzzes the admin and chat APIs with schemathesis, driven by the server's own /openapi.json:
# generated valid and invalid requests, stateful sequences, and every answer checked to be no
# server error (5xx) and to match the documented status codes, once with the admin API key and once
# as a signed-in supervisor. Needs `pip install schemathesis`, curl and a built server
# (SWITCHBOARD_BIN, default .build/debug/switchboard). Exit code = schemathesis' (the first failing run's).
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
BASE="http://127.0.0.1:$PORT"
# The prompt upload takes an audio/wav body, which schemathesis cannot generate; its bad inputs
# (not WAV, too large, bad names) are covered by AdminIVRPromptTests.
run() {
    st run "$BASE/openapi.json" --checks not_a_server_error,status_code_conformance \
        --max-examples "${SCHEMATHESIS_EXAMPLES:-15}" --workers 1 --seed 1 --exclude-operation-id uploadIVRPrompt "$@"
}
# With the admin API key, as provisioning scripts call it.
run -H "Authorization: Bearer $KEY" "$@"
# Again as a signed-in supervisor (role supervisor, cookie and CSRF token), so every answer a
# session gets (403 for configuration, ...) is documented too. Signing out is left out: it would
# leave the rest of the run signed out.
curl -fsS -X PUT "$BASE/api/v1/supervisors/fuzz" -H "Authorization: Bearer $KEY" \
    -d '{"role":"supervisor","password":"schemathesis-password"}' >/dev/null
SIGNED_IN="$(curl -fsS -i -X POST "$BASE/api/v1/auth/session" -d '{"userId":"fuzz","password":"schemathesis-password"}')"
COOKIE="$(printf '%s' "$SIGNED_IN" | grep -io 'switchboard_supervisor=[^;]*' | head -1)"
CSRF="$(printf '%s' "$SIGNED_IN" | grep -o '"csrfToken":"[^"]*"' | cut -d'"' -f4)"
[ -n "$COOKIE" ] && [ -n "$CSRF" ] || { echo "could not sign the supervisor in: $SIGNED_IN"; exit 1; }
run -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" --exclude-operation-id signOut "$@"
