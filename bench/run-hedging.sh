#!/usr/bin/env bash
# Hedging's effect on the tail (issue "Governance on the client", item 9): three echo instances, one of them slow
# (every call waits SLOW_MS there), balanced round robin by a ServiceChannel so a third of the calls meet the slow
# one; the same closed-loop load with hedging off and on (a backup to another instance after HEDGE_MS). Separate
# processes on 127.0.0.1, runs alternating. Client-side latency percentiles and calls/s; extra calls are the price.
#
#   bash bench/run-hedging.sh       # ROUNDS=3 DURATION=8 WARMUP=6 CALLERS=16 SLOW_MS=20 HEDGE_MS=2 (~3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-8}; WARMUP=${WARMUP:-6}; CALLERS=${CALLERS:-16}; SLOW_MS=${SLOW_MS:-20}; HEDGE_MS=${HEDGE_MS:-2}
BASE=${PORT:-5371}
timeout 600 dotnet build bench/Fitten.Benchmarks.Server -c Release -nologo -v quiet >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Load -c Release -nologo -v quiet >&2
out=$(mktemp -d)
servers=""
trap 'for s in $servers; do kill $s 2>/dev/null || true; done; rm -rf "$out"' EXIT
ports=""
for i in 0 1 2; do
  port=$((BASE + 3 * i))
  delay=(); if ((i == 2)); then delay=(--delay-ms "$SLOW_MS"); fi
  timeout $((ROUNDS * 2 * (DURATION + WARMUP + 20) + 120)) dotnet bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll \
    --fitten-port "$port" --grpc-port $((port + 1)) --stats-port $((port + 2)) "${delay[@]}" >"$out/server$i.log" 2>&1 &
  servers="$servers $!"
  ports="$ports${ports:+,}$port"
  for _ in $(seq 1 300); do grep -q '^ready' "$out/server$i.log" && break; sleep 0.1; done
done
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order="false true"; else order="true false"; fi
  for hedging in $order; do
    timeout $((DURATION + WARMUP + 60)) dotnet bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll \
      --target hedge --ports "$ports" --stats-port $((BASE + 2)) --hedging "$hedging" --hedge-delay-ms "$HEDGE_MS" \
      --concurrency "$CALLERS" --duration "$DURATION" --warmup "$WARMUP" \
      | grep '^RESULT ' | sed "s/^RESULT /round=$round /" | tee -a "$out/results.txt" >&2
  done
done
echo
echo "Echo over three instances, one ${SLOW_MS} ms slow, round robin, $CALLERS callers; median of $ROUNDS rounds."
echo
echo "| hedging | calls/s | p50 µs | p99 µs | p99.9 µs |"
echo "|---|---:|---:|---:|---:|"
awk '
  { delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    h = v["hedging"]; n[h]++; rps[h, n[h]] = v["calls_per_s"]; p50[h, n[h]] = v["p50_us"]; p99[h, n[h]] = v["p99_us"]; p999[h, n[h]] = v["p999_us"] }
  function med(a, h,   i, j, x, tmp, m) { m = n[h]; for (i = 1; i <= m; i++) x[i] = a[h, i]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { tmp = x[i]; x[i] = x[j]; x[j] = tmp }; return x[int((m + 1) / 2)] }
  END { split("False True", hs, " "); for (k = 1; k <= 2; k++) { h = hs[k]
    printf "| %s (backup after %s ms) | %.0f | %.1f | %.1f | %.1f |\n", (h == "True" ? "on" : "off"), (h == "True" ? "'"$HEDGE_MS"'" : "—"), med(rps, h), med(p50, h), med(p99, h), med(p999, h) } }
' "$out/results.txt"
