#!/usr/bin/env bash
# P6 (DESIGN §4): what the client's governance stages cost on the RPC echo, against the bare pipeline, in one run.
# Three client policies against one echo server (separate processes, 127.0.0.1), runs alternating so machine drift
# falls on all alike:
#   bare     one attempt, no timeout: no governance stage, the pipeline's shortcut to the transport
#   default  the defaults: the retry stage (three attempts, the retry budget counting every call)
#   full     P6's stack: a timeout, retries with the budget, the method circuit breaker with a slow-call threshold
#            (so each call is timed). The instance breaker lives in a ServiceChannel, which this echo does not use.
# No failures are injected: this is what the stack costs a healthy call. Budget: full ≤ 5% fewer calls/s than bare,
# ≤ 64 B/call more.
#
#   bash bench/run-governance.sh             # ROUNDS=3 DURATION=10 WARMUP=10 (~6 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; PORT=${PORT:-5351}; STATS=$((PORT + 2))
CALLERS=${CALLERS:-64}
timeout 600 dotnet build bench/Fitten.Benchmarks.Server -c Release -nologo -v quiet >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Load -c Release -nologo -v quiet >&2
out=$(mktemp -d)
timeout $((ROUNDS * 3 * (DURATION + WARMUP + 20) + 4 * WARMUP + 120)) dotnet bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll \
  --fitten-port "$PORT" --grpc-port $((PORT + 1)) --stats-port "$STATS" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out/server.log" && break; sleep 0.1; done
# The server's own warm-up (tiered JIT, pools), not recorded: otherwise the first policy measured pays it.
timeout $((2 * WARMUP + 60)) dotnet bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll   --target fitten --port "$PORT" --stats-port "$STATS" --concurrency "$CALLERS" --duration "$WARMUP" --warmup "$WARMUP" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  case $((round % 3)) in 1) order="bare default full" ;; 2) order="full bare default" ;; *) order="default full bare" ;; esac
  for policy in $order; do
    timeout $((DURATION + WARMUP + 60)) dotnet bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll \
      --target fitten --policy "$policy" --port "$PORT" --stats-port "$STATS" --concurrency "$CALLERS" --duration "$DURATION" --warmup "$WARMUP" \
      | grep '^RESULT ' | sed "s/^RESULT /round=$round /" | tee -a "$out/results.txt" >&2
  done
done
echo
echo "Fitten RPC echo, $CALLERS callers, client policies, median of $ROUNDS rounds (${DURATION} s measured after ${WARMUP} s warm-up)."
echo "Client B/call beyond the decoded message."
echo
echo "| policy | calls/s | vs bare (each round) | p50 µs | p99 µs | client B/call |"
echo "|---|---:|---|---:|---:|---:|"
awk '
  { delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    p = v["policy"]; r = v["round"]; rps[p, r] = v["calls_per_s"]; p50[p, r] = v["p50_us"]; p99[p, r] = v["p99_us"]; cb[p, r] = v["client_bytes"] - v["message_bytes"]; if (r > rounds) rounds = r }
  function med(a, p,   i, j, x, tmp) { for (i = 1; i <= rounds; i++) x[i] = a[p, i]; for (i = 1; i <= rounds; i++) for (j = i + 1; j <= rounds; j++) if (x[j] < x[i]) { tmp = x[i]; x[i] = x[j]; x[j] = tmp }; return x[int((rounds + 1) / 2)] }
  END {
    split("bare default full", ps, " ")
    for (k = 1; k <= 3; k++) { p = ps[k]; each = ""
      for (i = 1; i <= rounds; i++) { each = each (i > 1 ? ", " : "") sprintf("%.3f", rps[p, i] / rps["bare", i]) }
      printf "| %s | %.0f | %.3f× (%s) | %.1f | %.1f | %.0f |\n", p, med(rps, p), med(rps, p) / med(rps, "bare"), each, med(p50, p), med(p99, p), med(cb, p) }
  }' "$out/results.txt"
