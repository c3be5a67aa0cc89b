#!/usr/bin/env bash
# Fitten RPC vs grpc-dotnet: 256-byte unary echo at 1 and 64 concurrent callers, server and load in separate
# processes on 127.0.0.1 (DESIGN §4, budgets P1–P4). Prints a Markdown table of medians and the budget ratios.
#
#   bash bench/run-rpc.sh                                # 3 rounds, 10 s measured + 15 s warm-up per run (~6 minutes)
#   ROUNDS=1 DURATION=5 WARMUP=5 bash bench/run-rpc.sh   # a quick look
#
# Why a 15 s warm-up: each load run is a fresh process, and on 2 busy cores grpc-dotnet's client is still being
# re-jitted (tiered compilation with dynamic PGO) 10 s into a run; with a 3 s warm-up its calls/s came out about
# 30% lower than with 15 s, Fitten's within noise. The longer warm-up is the fair setting for the peer.
#
# Each round runs every (callers, target) pair once, alternating which target goes first, so slow drift on a
# shared 2-core machine (another build, a noisy neighbour) falls on both targets alike; each figure in the table
# is the median over the rounds. Per-run output is kept in $OUT (default bench/results/).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
PAYLOAD=${PAYLOAD:-256}
FITTEN_PORT=${FITTEN_PORT:-5301}
GRPC_PORT=${GRPC_PORT:-5302}
STATS_PORT=${STATS_PORT:-5303}
OUT=${OUT:-bench/results}
# Extra options for the load process, e.g. LOAD_ARGS="--connections 1" to vary Fitten's ConnectionsPerEndpoint.
LOAD_ARGS=${LOAD_ARGS:-}

mkdir -p "$OUT"
SERVER_LOG="$OUT/server.log"
RESULTS="$OUT/results.txt"
: >"$RESULTS"

echo "Building (Release)..." >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Server/Fitten.Benchmarks.Server.csproj -c Release -nologo -v quiet >&2
timeout 600 dotnet build bench/Fitten.Benchmarks.Load/Fitten.Benchmarks.Load.csproj -c Release -nologo -v quiet >&2
SERVER_DLL=bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll
LOAD_DLL=bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll

SERVER_PID=
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    # Give the host its graceful stop, then make sure nothing outlives the script.
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT INT TERM

# The server outlives every load run (a restart would put JIT and connection set-up into the measured numbers),
# and is bounded in time too: at most the planned runs plus a generous margin.
RUNS=$((ROUNDS * 4))
SERVER_LIMIT=$((RUNS * (DURATION + WARMUP + 30) + 60))
timeout "$SERVER_LIMIT" dotnet "$SERVER_DLL" --fitten-port "$FITTEN_PORT" --grpc-port "$GRPC_PORT" --stats-port "$STATS_PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q '^ready' "$SERVER_LOG" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; echo "server failed to start" >&2; exit 1; }
  sleep 0.1
done
grep -q '^ready' "$SERVER_LOG" || { cat "$SERVER_LOG" >&2; echo "server not ready after 30 s" >&2; exit 1; }
echo "Server: $(head -1 "$SERVER_LOG")" >&2

run_load() { # target callers round
  local target=$1 callers=$2 round=$3 port
  port=$([[ $target == fitten ]] && echo "$FITTEN_PORT" || echo "$GRPC_PORT")
  # shellcheck disable=SC2086 # LOAD_ARGS is a list of options on purpose.
  timeout $((DURATION + WARMUP + 60)) dotnet "$LOAD_DLL" --target "$target" --port "$port" --stats-port "$STATS_PORT" \
    --concurrency "$callers" --duration "$DURATION" --warmup "$WARMUP" --payload "$PAYLOAD" $LOAD_ARGS \
    | tee "$OUT/round$round-$target-c$callers.txt" >&2
  grep '^RESULT ' "$OUT/round$round-$target-c$callers.txt" | sed "s/^RESULT /RESULT round=$round /" >>"$RESULTS"
}

for round in $(seq 1 "$ROUNDS"); do
  # Odd rounds start with Fitten, even rounds with gRPC.
  if ((round % 2)); then order="fitten grpc"; else order="grpc fitten"; fi
  for callers in 1 64; do
    for target in $order; do
      echo "--- round $round/$ROUNDS: $target, $callers caller(s)" >&2
      run_load "$target" "$callers" "$round"
    done
  done
done

stop_server

# The table shows medians per (target, callers) and metric. The budget ratios are paired: each round's Fitten run is
# divided by the same round's gRPC run (adjacent in time, so they shared the machine's conditions), and the median of
# those per-round ratios is the verdict. Plain awk (no gawk-only functions) so it runs on a stock Debian image.
awk -v rounds="$ROUNDS" -v duration="$DURATION" -v warmup="$WARMUP" -v payload="$PAYLOAD" '
function median(n, a,   i, j, t) {
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function m(target, callers, metric,   r, a) {
  for (r = 1; r <= rounds; r++) a[r] = v[target, callers, metric, r] + 0
  return median(rounds, a)
}
# Median over rounds of fitten/grpc for one metric; the per-round ratios go into the global "list" for display.
function ratio(callers, metric,   r, a) {
  list = ""
  for (r = 1; r <= rounds; r++) {
    a[r] = v["fitten", callers, metric, r] / v["grpc", callers, metric, r]
    list = list (r > 1 ? ", " : "") sprintf("%.2f", a[r])
  }
  return median(rounds, a)
}
function verdict(ok) { return ok ? "met" : "**not met**" }
/^RESULT / {
  delete kv
  for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
  for (k in kv) v[kv["target"], kv["concurrency"], k, kv["round"]] = kv[k]
}
END {
  printf "Median of %d rounds, %d s measured after %d s warm-up per run, %d-byte payload.\n\n", rounds, duration, warmup, payload
  print "| target | callers | calls/s | p50 (µs) | p99 (µs) | p99.9 (µs) | client B/call | server B/call | of which DTO |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  split("fitten grpc", targets, " ")
  for (c = 1; c <= 2; c++) {
    callers = c == 1 ? 1 : 64
    for (t = 1; t <= 2; t++) {
      target = targets[t]
      printf "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |\n", target == "grpc" ? "grpc-dotnet" : "Fitten", callers,
        m(target, callers, "calls_per_s"), m(target, callers, "p50_us"), m(target, callers, "p99_us"), m(target, callers, "p999_us"),
        m(target, callers, "client_bytes"), m(target, callers, "server_bytes"), m(target, callers, "message_bytes")
    }
  }
  print ""
  print "| budget | measure | Fitten / grpc-dotnet (median of rounds) | each round | budget | verdict |"
  print "|---|---|---:|---|---:|---|"
  p1 = ratio(64, "calls_per_s"); printf "| P1 | calls/s, 64 callers | %.2f× | %s | ≥ 2.0× | %s |\n", p1, list, verdict(p1 >= 2.0)
  p2 = ratio(64, "p99_us");      printf "| P2 | p99, 64 callers | %.2f× | %s | ≤ 0.5× | %s |\n", p2, list, verdict(p2 <= 0.5)
  p3 = ratio(1, "p50_us");       printf "| P3 | p50, 1 caller | %.2f× | %s | ≤ 0.6× | %s |\n", p3, list, verdict(p3 <= 0.6)
  # P4 counts what the stack allocates beyond the user message (the decoded DTO): the worse of the two loads.
  p4c = m("fitten", 1, "client_bytes") - m("fitten", 1, "message_bytes")
  p4s = m("fitten", 1, "server_bytes") - m("fitten", 1, "message_bytes")
  t = m("fitten", 64, "client_bytes") - m("fitten", 64, "message_bytes"); if (t > p4c) p4c = t
  t = m("fitten", 64, "server_bytes") - m("fitten", 64, "message_bytes"); if (t > p4s) p4s = t
  printf "| P4 | Fitten B/call beyond the DTO, client / server | %.0f B / %.0f B | worse of 1 and 64 callers | ≤ 256 B each | %s |\n", p4c, p4s, verdict(p4c <= 256 && p4s <= 256)
}' "$RESULTS"
