#!/usr/bin/env bash
# Budget P7 (../docs/fitten-bench.md, DESIGN §4): `fitten bench -c 64` against a plain Kestrel endpoint must reach at
# least 0.8x the requests/s of `wrk -t1 -c64` against the same endpoint on loopback.
#
# Starts bench/Fitten.Bench.PlainServer, then alternates wrk and fitten bench (each its own process) for ROUNDS
# rounds of DURATION seconds, and prints every round, the medians and their ratio. Alternating rounds and taking
# medians keeps a noisy shared machine from favouring whichever tool ran in a quiet moment.
#
# Usage: bash bench/run-p7.sh [ROUNDS] [DURATION_SECONDS]      (defaults: 5 rounds of 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-5}"
duration="${2:-10}"
port="${P7_PORT:-5080}"
url="http://127.0.0.1:${port}/ping"

command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

dotnet build bench/Fitten.Bench.PlainServer -c Release -v q -nologo >/dev/null
dotnet build src/Fitten.Cli -c Release -v q -nologo >/dev/null
server_dll=bench/Fitten.Bench.PlainServer/bin/Release/net10.0/Fitten.Bench.PlainServer.dll
fitten_dll=src/Fitten.Cli/bin/Release/net10.0/Fitten.Cli.dll

dotnet "$server_dll" --urls "http://127.0.0.1:${port}" >/dev/null 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -sf "$url" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$url" >/dev/null || { echo "plain server did not start on $url" >&2; exit 1; }

# Warm the server's JIT so the first tool measured is not penalised.
wrk -t1 -c64 -d3s "$url" >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

wrk_file=$(mktemp); fitten_file=$(mktemp)
echo "round  wrk -t1 -c64 (req/s)  fitten bench -c 64 (req/s)  ratio"
for round in $(seq 1 "$rounds"); do
  w=$(wrk -t1 -c64 -d"${duration}s" "$url" | awk '/Requests\/sec/ { print $2 }')
  f=$(dotnet "$fitten_dll" bench "$url" -c 64 -d "${duration}s" -w 1s -q --json 2>/dev/null | awk -F'[:,]' '/"rps"/ { gsub(/ /, "", $2); print $2 }')
  echo "$w" >>"$wrk_file"; echo "$f" >>"$fitten_file"
  printf '%5s  %21.0f  %26.0f  %5.2f\n' "$round" "$w" "$f" "$(echo "$f / $w" | bc -l)"
done

wm=$(median <"$wrk_file"); fm=$(median <"$fitten_file")
ratio=$(echo "$fm / $wm" | bc -l)
printf 'median %21.0f  %26.0f  %5.2f\n' "$wm" "$fm" "$ratio"
printf 'P7 (>= 0.80): %s\n' "$(echo "$ratio >= 0.8" | bc -l | sed 's/1/met/; s/0/NOT met/')"
rm -f "$wrk_file" "$fitten_file"
