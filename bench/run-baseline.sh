#!/usr/bin/env bash
# The RPC echo at this commit against the same benchmark at an earlier commit (BASE), in one run: both servers up
# side by side on loopback, load runs alternating between them, so machine drift falls on both alike. Used to show
# that a change to the call path costs nothing measurable (issue "Call pipeline": within 3% of calls/s, no more
# bytes per call). Fitten's own echo only; the gRPC peer is run-rpc.sh's business.
#
#   BASE=d042994 bash bench/run-baseline.sh             # 3 rounds, 10 s measured + 10 s warm-up per run (~6 minutes)
#   BASE=d042994 ROUNDS=1 DURATION=5 WARMUP=5 bash bench/run-baseline.sh
#
# BASE is checked out into a temporary git worktree (removed at exit) and its bench/ built there. Over every measured
# phase, `perf stat -e task-clock,context-switches` counts each process (server, load) on its own, reported per call:
# CPU µs per call on each side (other work on this 2-core VM moves it too: a waiting process spins more or less and
# batches more or fewer frames per system call) and, for 1 caller, the wake-ups of both processes: the serial path's hops.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${BASE:?set BASE to the commit to compare with, e.g. BASE=d042994}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
OUT=${OUT:-bench/results/baseline}
mkdir -p "$OUT"
: >"$OUT/results.txt"

base_dir=$(mktemp -d)
cleanup() {
  for pid in ${SERVERS:-}; do kill "$pid" 2>/dev/null || true; done
  git worktree remove --force "$base_dir/tree" >/dev/null 2>&1 || rm -rf "$base_dir"
}
trap cleanup EXIT INT TERM
git worktree add --detach "$base_dir/tree" "$BASE" >/dev/null 2>&1

build() { # tree
  timeout 600 dotnet build "$1/bench/Fitten.Benchmarks.Server/Fitten.Benchmarks.Server.csproj" -c Release -nologo -v quiet >&2
  timeout 600 dotnet build "$1/bench/Fitten.Benchmarks.Load/Fitten.Benchmarks.Load.csproj" -c Release -nologo -v quiet >&2
}
echo "Building $BASE and $(git rev-parse --short HEAD) (Release)..." >&2
build "$base_dir/tree"
build .

declare -A TREE=([base]="$base_dir/tree" [head]=".")
declare -A PORT=([base]=5321 [head]=5331)
declare -A PID=()
SERVERS=""
LIMIT=$((ROUNDS * 4 * (DURATION + WARMUP + 30) + 120))
for version in base head; do
  port=${PORT[$version]}
  timeout "$LIMIT" dotnet "${TREE[$version]}/bench/Fitten.Benchmarks.Server/bin/Release/net10.0/Fitten.Benchmarks.Server.dll" \
    --fitten-port "$port" --grpc-port $((port + 1)) --stats-port $((port + 2)) >"$OUT/server-$version.log" 2>&1 &
  SERVERS="$SERVERS $!"
  PID[$version]=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$OUT/server-$version.log" 2>/dev/null && break; sleep 0.1; done
  grep -q '^ready' "$OUT/server-$version.log" || { cat "$OUT/server-$version.log" >&2; exit 1; }
done

for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order="base head"; else order="head base"; fi
  for callers in 1 64; do
    for version in $order; do
      port=${PORT[$version]}
      echo "--- round $round/$ROUNDS: $version, $callers caller(s)" >&2
      timeout $((DURATION + WARMUP + 60)) dotnet "${TREE[$version]}/bench/Fitten.Benchmarks.Load/bin/Release/net10.0/Fitten.Benchmarks.Load.dll" \
        --target fitten --port "$port" --stats-port $((port + 2)) --concurrency "$callers" --duration "$DURATION" --warmup "$WARMUP" \
        >"$OUT/round$round-$version-c$callers.txt" &
      load=$!
      switches=0 cpu_load=0 cpu_server=0
      if command -v perf >/dev/null; then
        sleep "$WARMUP"
        # The dotnet processes themselves, not the `timeout` wrappers around them; one perf per process so the CPU
        # time of each side is counted on its own (task-clock: CPU ms the process ran, on any core).
        server_pid=$(pgrep -P "${PID[$version]}" | head -1)
        load_pid=$(pgrep -P "$load" | head -1)
        perf stat -x, -e task-clock,context-switches -p "$server_pid" -- sleep "$DURATION" 2>"$OUT/perf-$version-$round-c$callers-server.txt" &
        perf_server=$!
        perf stat -x, -e task-clock,context-switches -p "$load_pid" -- sleep "$DURATION" 2>"$OUT/perf-$version-$round-c$callers-load.txt" || true
        wait "$perf_server" || true
        counter() { local n; n=$(grep ",$2," "$OUT/perf-$version-$round-c$callers-$1.txt" | cut -d, -f1 | cut -d. -f1 | tr -dc 0-9); echo "${n:-0}"; }
        switches=$(($(counter server context-switches) + $(counter load context-switches)))
        cpu_server=$(counter server task-clock)
        cpu_load=$(counter load task-clock)
      fi
      wait "$load"
      cat "$OUT/round$round-$version-c$callers.txt" >&2
      grep '^RESULT ' "$OUT/round$round-$version-c$callers.txt" | sed "s/^RESULT /version=$version round=$round switches=${switches:-0} cpu_load_ms=${cpu_load:-0} cpu_server_ms=${cpu_server:-0} /" >>"$OUT/results.txt"
    done
  done
done

echo
echo "Fitten RPC echo, $BASE (base) vs $(git rev-parse --short HEAD) (head): median of $ROUNDS rounds, ${DURATION} s measured after ${WARMUP} s warm-up"
echo
echo "| callers | base calls/s | head calls/s | head/base (each round) | base p50 µs | head p50 µs | base B/call client/server | head B/call client/server | context switches per call base / head |"
echo "|---:|---:|---:|---|---:|---:|---|---|---|"
for callers in 1 64; do
  awk -v c="$callers" -v dur="$DURATION" -f bench/baseline-report.awk -v table=calls "$OUT/results.txt"
done
echo
echo "CPU per call (perf stat task-clock over the measured phase, each process on its own; other work on the machine moves it too)."
echo
echo "| callers | load (client) µs/call base | head | head/base (each round) | server µs/call base | head | head/base |"
echo "|---:|---:|---:|---|---:|---:|---:|"
for callers in 1 64; do
  awk -v c="$callers" -v dur="$DURATION" -f bench/baseline-report.awk -v table=cpu "$OUT/results.txt"
done
