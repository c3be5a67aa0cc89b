#!/usr/bin/env bash
# Code-first cost: the same 256-byte echo through the generated client + dispatcher + MemoryPack ("contract") vs
# the raw-bytes method ("fitten"), server and load in separate processes on 127.0.0.1, alternating runs.
# Budget (issue "Code-first contracts"): contract calls/s >= 0.9x raw.
#   bash bench/run-contract.sh            # ROUNDS=3 DURATION=10 WARMUP=10
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; PORT=${PORT:-5311}; STATS=${STATS:-5313}
timeout 600 dotnet build bench/Fitten.Benchmarks.Server -c Release -nologo -v quiet >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Load -c Release -nologo -v quiet >&2
out=$(mktemp -d)
timeout $((ROUNDS * 4 * (DURATION + WARMUP + 20) + 60)) dotnet bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll \
  --fitten-port "$PORT" --grpc-port $((PORT + 1)) --stats-port "$STATS" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out/server.log" && break; sleep 0.1; done
for round in $(seq 1 "$ROUNDS"); do
  for callers in 1 64; do
    for target in fitten contract; do
      timeout $((DURATION + WARMUP + 60)) dotnet bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll \
        --target "$target" --port "$PORT" --stats-port "$STATS" --concurrency "$callers" --duration "$DURATION" --warmup "$WARMUP" \
        | grep '^RESULT ' | sed "s/^RESULT /round=$round /" | tee -a "$out/results.txt" >&2
    done
  done
done
echo "| callers | raw calls/s | contract calls/s | ratio | raw p50 µs | contract p50 µs | contract client B/call | contract server B/call |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for callers in 1 64; do
  awk -v c="$callers" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (v["concurrency"] != c) next
      n[v["target"]]++; k = v["target"] SUBSEP n[v["target"]]
      rps[k] = v["calls_per_s"]; p50[k] = v["p50_us"]; cb[k] = v["client_bytes"] - v["message_bytes"]; sb[k] = v["server_bytes"] - v["message_bytes"] }
    function med(a, t, m,   i, j, x, tmp) { for (i = 1; i <= m; i++) x[i] = a[t SUBSEP i]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { tmp = x[i]; x[i] = x[j]; x[j] = tmp }; return x[int((m + 1) / 2)] }
    END { m = n["fitten"]; printf "| %d | %.0f | %.0f | %.2fx | %.1f | %.1f | %.0f | %.0f |\n", c, med(rps, "fitten", m), med(rps, "contract", m), med(rps, "contract", m) / med(rps, "fitten", m), med(p50, "fitten", m), med(p50, "contract", m), med(cb, "contract", m), med(sb, "contract", m) }
  ' "$out/results.txt"
done
