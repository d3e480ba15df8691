#!/bin/bash
# Throughput of one release binary on SQLite, on PostgreSQL with one node, and on PostgreSQL with
# three nodes (one leader, two followers fed every commit), in the same run (docs/benchmarks.md,
# "The store").
#
#   Benchmarks/store-comparison.sh BINARY [RATES...]      (default rates: 150 300 500)
#
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (as the postgres user when run as root),
# a fresh database for every run, and stops it at the end. Each run: the nodes on free ports, then
# `loadtest --agents 1000 --duration 10` against the first (the leader; the followers replicate),
# and for pg-3s spread over all three (clients of the followers are forwarded to the leader),
# printed as one line per run.
set -euo pipefail
binary=$(realpath "$1"); shift
rates=("${@:-150 300 500}"); [ $# -eq 0 ] && rates=(150 300 500)
pgbin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
work=$(mktemp -d); chmod 755 "$work"
as_postgres=(); [ "$(id -u)" = 0 ] && { chown postgres "$work"; as_postgres=(runuser -u postgres --); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pgport=$(free_port)
"${as_postgres[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 > "$work/initdb.log"
"${as_postgres[@]}" "$pgbin/postgres" -D "$work/pg" -p "$pgport" -c listen_addresses=127.0.0.1 -k "$work" > "$work/pg.log" 2>&1 &
pgpid=$!
trap 'kill $pgpid 2>/dev/null; wait $pgpid 2>/dev/null; rm -rf "$work"' EXIT
psql=("${as_postgres[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -q)
for _ in $(seq 1 50); do "${psql[@]}" -c "SELECT 1" > /dev/null 2>&1 && break; sleep 0.2; done
key=store-comparison-key-$RANDOM$RANDOM
url="postgres://postgres@127.0.0.1:$pgport/sb?sslmode=disable"

run() { # label rate nodes store [spread]
    local label=$1 rate=$2 nodes=$3 store=$4 spread=${5:-} pids=() ports=() also=()
    [ "$store" = pg ] && "${psql[@]}" -c "DROP DATABASE IF EXISTS sb" -c "CREATE DATABASE sb"
    for n in $(seq 1 "$nodes"); do
        local port; port=$(free_port); ports+=("$port")
        mkdir -p "$work/node-$label-$rate-$n"
        local args=(serve --port "$port" --data-dir "$work/node-$label-$rate-$n" --api-key "$key" --no-demo --log-level error
            --overload-lag-limit 0 --max-connections-per-address 0 --trusted-proxies 127.0.0.0/8
            --customer-messages-per-minute 0 --customer-starts-per-address 0 --customer-starts-per-second 0)
        [ "$store" = pg ] && args+=(--database-url "$url" --advertise-url "http://127.0.0.1:$port")
        "$binary" "${args[@]}" > "$work/node-$label-$rate-$n/log" 2>&1 &
        pids+=($!)
        # The first node takes the lease; the others follow it.
        for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
    done
    for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:${ports[0]}/readyz" && break; sleep 0.1; done
    # spread: agents and customers on every node (the followers forward to the leader).
    if [ -n "$spread" ]; then for port in "${ports[@]:1}"; do also+=(--also-server "http://127.0.0.1:$port"); done; fi
    "$binary" loadtest --server "http://127.0.0.1:${ports[0]}" "${also[@]}" --api-key "$key" --server-pid "${pids[0]}" \
        --agents 1000 --rate "$rate" --duration 10 --no-floor --json > "$work/$label-$rate.json"
    python3 - "$work/$label-$rate.json" "$label" "$rate" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["createToCallIn"]
print(f'{sys.argv[2]:>7} target {sys.argv[3]:>4}/s: routed {d["sessionsPerSecond"]}/s, create->callIn p50 {c["p50"]} ms p99 {c["p99"]} ms, '
      f'server CPU {d["serverCPUPercent"]}%, errors {d["errors"]}')
PY
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}

for rate in "${rates[@]}"; do
    run sqlite "$rate" 1 sqlite
    run pg-1 "$rate" 1 pg
    run pg-3 "$rate" 3 pg
    run pg-3s "$rate" 3 pg spread
done
