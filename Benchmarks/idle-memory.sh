#!/bin/bash
# Server memory held by idle connected agents (docs/benchmarks.md, "Idle agents").
#
#   Benchmarks/idle-memory.sh BINARY AGENTS [heaptrack]
#
# Starts `BINARY serve` on a fresh data directory, connects AGENTS agents through `loadtest`
# (created, logged in with issued tokens, online), waits until they are idle, and prints the
# server's RSS (IDLE_SECONDS after the last login, 35 by default). With `heaptrack`, the server
# runs under heaptrack and is killed while the agents are still connected, so heaptrack's
# "leaked" figures are what the idle connections hold:
# `heaptrack_print -p 0 -l 1 -n 10 FILE` lists them by call site.
# More than ~20,000 agents need a higher file-descriptor limit (`ulimit -n 200000`).
set -euo pipefail
binary=$1 agents=$2 mode=${3:-}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
key=idle-memory-key-$RANDOM$RANDOM
serve=("$binary" serve --port "$port" --data-dir "$data" --no-demo --api-key "$key" --log-level error
       --max-connections-per-address 0 --trusted-proxies 127.0.0.0/8)
if [ "$mode" = heaptrack ]; then
    heaptrack -o "$data/heaptrack" "${serve[@]}" > "$data/server.log" 2>&1 &
else
    "${serve[@]}" > "$data/server.log" 2>&1 &
fi
launcher=$!
for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
# Under heaptrack the launcher is heaptrack's shell; the server is its child.
server=$(pgrep -f -- "--port $port --data-dir $data" | while read -r pid; do
    [ "$(cat /proc/$pid/comm)" = switchboard ] && echo "$pid"; done | head -1)
echo "empty server: $(grep VmRSS /proc/$server/status)"
"$binary" loadtest --server "http://127.0.0.1:$port" --api-key "$key" --agents "$agents" \
    --rate 0.05 --duration 600 --no-floor > "$data/loadtest.log" 2>&1 &
load=$!
for _ in $(seq 1 300); do
    [ "$(ss -Htn state established "( sport = :$port )" | wc -l)" -ge "$agents" ] && break; sleep 1
done
# Idle long enough for the server's memory trimmer (every 30 s by default) to have run once:
# RSS is measured as an idle server holds it, not as the burst of logins left it.
sleep "${IDLE_SECONDS:-35}"
echo "$agents idle agents: $(grep VmRSS /proc/$server/status)"
if [ "$mode" = heaptrack ]; then
    kill -9 "$server"; sleep 5
    echo "heaptrack data: $(ls "$data"/heaptrack*)"
else
    kill "$server"
fi
kill "$load" 2>/dev/null || true
wait 2>/dev/null || true
