#!/bin/bash
# Server throughput with the server and the load generator each on a core of its own
# (docs/benchmarks.md, "Issue 19, second round").
#
#   Benchmarks/pinned-throughput.sh BINARY RATE [SECONDS]
#
# Starts `BINARY serve` on core 0 (taskset) with a fresh data directory, runs `BINARY loadtest`
# on core 1 against it (1,000 agents, RATE sessions a second for SECONDS, no echo floor), and
# prints one line: binary, offered rate, routed sessions/s, create→callIn p50 and p99 (ms),
# server CPU (% of one core), server CPU per ended session (ms), the server's context switches per
# ended session, and errors. Sharing two cores unpinned,
# the server's CPU per session moves with what the generator leaves it; pinned, a run at a rate
# past saturation says how many sessions one core routes. Alternate the binaries you compare.
set -euo pipefail
binary=$1 rate=$2 seconds=${3:-10}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
key=pinned-key-$RANDOM$RANDOM
taskset -c 0 "$binary" serve --port "$port" --data-dir "$data" --no-demo --api-key "$key" --log-level error \
    --max-connections-per-address 0 --trusted-proxies 127.0.0.0/8 --customer-messages-per-minute 0 \
    --customer-starts-per-address 0 --customer-starts-per-second 0 > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
taskset -c 1 "$binary" loadtest --server "http://127.0.0.1:$port" --api-key "$key" --server-pid "$server" \
    --agents 1000 --rate "$rate" --duration "$seconds" --no-floor --json 2>/dev/null | python3 -c "
import json, sys
r = json.load(sys.stdin)
print('$(basename "$binary")', '$rate', r['sessionsPerSecond'], r['createToCallIn']['p50'], r['createToCallIn']['p99'],
      r['serverCPUPercent'], r.get('serverCPUMillisecondsPerSession'), r.get('serverContextSwitchesPerSession'), r['errors'])"
