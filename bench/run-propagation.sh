#!/usr/bin/env bash
# What carrying the call context costs per hop: two-hop calls (load → the server's Relay → the server's Echo), with
# a 30 s deadline, a tag and a chain header on every call. Relay's onward call inherits them (deadline stage takes
# the smaller deadline, the transport copies the tag and chain header into the onward request, the inbound
# cancellation is registered); RelayDetached makes the same onward call with IgnoreCallContext. Server and load in
# separate processes on 127.0.0.1, runs alternating.
#
#   bash bench/run-propagation.sh            # ROUNDS=3 DURATION=10 WARMUP=10 (~3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; PORT=${PORT:-5341}; STATS=$((PORT + 2))
timeout 600 dotnet build bench/Fitten.Benchmarks.Server -c Release -nologo -v quiet >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Load -c Release -nologo -v quiet >&2
out=$(mktemp -d)
timeout $((ROUNDS * 4 * (DURATION + WARMUP + 20) + 60)) dotnet bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll \
  --fitten-port "$PORT" --grpc-port $((PORT + 1)) --stats-port "$STATS" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out/server.log" && break; sleep 0.1; done
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order="relay relay-detached"; else order="relay-detached relay"; fi
  for callers in 1 64; do
    for target in $order; do
      timeout $((DURATION + WARMUP + 60)) dotnet bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll \
        --target "$target" --port "$PORT" --stats-port "$STATS" --concurrency "$callers" --duration "$DURATION" --warmup "$WARMUP" \
        | grep '^RESULT ' | sed "s/^RESULT /round=$round /" | tee -a "$out/results.txt" >&2
    done
  done
done
echo
echo "Two-hop calls, median of $ROUNDS rounds: with the call context carried on (relay) and without (detached)."
echo "Server B/call counts both hops (three decoded 256 B messages, one subtracted as the DTO)."
echo
echo "| callers | detached calls/s | relay calls/s | relay/detached | detached p50 µs | relay p50 µs | extra µs per hop (p50) | server B/call detached / relay |"
echo "|---:|---:|---:|---:|---:|---:|---:|---|"
for callers in 1 64; do
  awk -v c="$callers" '
    { delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (v["concurrency"] != c) next
      t = v["target"]; n[t]++; rps[t, n[t]] = v["calls_per_s"]; p50[t, n[t]] = v["p50_us"]; sb[t, n[t]] = v["server_bytes"] - v["message_bytes"] }
    function med(a, t, m,   i, j, x, tmp) { for (i = 1; i <= m; i++) x[i] = a[t, i]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { tmp = x[i]; x[i] = x[j]; x[j] = tmp }; return x[int((m + 1) / 2)] }
    END { m = n["relay"]; d = "relay-detached"
      printf "| %d | %.0f | %.0f | %.3f× | %.1f | %.1f | %.1f | %.0f / %.0f |\n", c, med(rps, d, m), med(rps, "relay", m), med(rps, "relay", m) / med(rps, d, m),
        med(p50, d, m), med(p50, "relay", m), med(p50, "relay", m) - med(p50, d, m), med(sb, d, m), med(sb, "relay", m) }
  ' "$out/results.txt"
done
