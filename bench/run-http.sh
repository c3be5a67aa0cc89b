#!/usr/bin/env bash
# Budget P5 (DESIGN §4): a Fitten contract's HTTP/JSON endpoint must serve >= 0.95x the requests/s of the equivalent
# ASP.NET Core Minimal API endpoint under wrk. Both live in one server process (bench/Fitten.Bench.HttpServer, same
# JSON source-generated context); wrk runs as its own process on loopback, alternating Fitten and Minimal API runs
# for ROUNDS rounds, and the table reports medians. Three operations:
#   echo-route    POST /fitten/echo            {"text":..}            vs POST /minimal/echo
#   echo-default  POST /bench.http/Echo        {"message":{"text":..}} vs POST /minimal/echo
#   hello-get     GET  /fitten/hello/ada?times=3                      vs GET  /minimal/hello/ada?times=3
#
# Usage: bash bench/run-http.sh [ROUNDS] [DURATION_SECONDS]      (defaults: 5 rounds of 10 s; wrk -t1 -c64)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-5}"
duration="${2:-10}"
port="${P5_PORT:-5090}"
base="http://127.0.0.1:${port}"

command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
timeout 600 dotnet build bench/Fitten.Bench.HttpServer -c Release -v q -nologo >/dev/null
dotnet bench/Fitten.Bench.HttpServer/bin/Release/net10.0/Fitten.Bench.HttpServer.dll --urls "$base" >/dev/null 2>&1 &
server_pid=$!
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/minimal/hello/x?times=1" >/dev/null 2>&1 && break; sleep 0.2; done

message='{"text":"hello fitten","number":42,"flag":true}'
post_script() { printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "'$1'" >"$2"; }
post_script "$message" "$work/echo.lua"
post_script "{\"message\":$message}" "$work/default.lua"
: >"$work/get.lua"

# Each operation: name, Fitten path, Minimal API path, wrk script. Sanity-check both answer the same JSON first.
ops=(
  "echo-route /fitten/echo /minimal/echo echo.lua"
  "echo-default /bench.http/Echo /minimal/echo default.lua"
  "hello-get /fitten/hello/ada?times=3 /minimal/hello/ada?times=3 get.lua"
)
a=$(curl -sf -H 'content-type: application/json' -d "$message" "$base/fitten/echo"); b=$(curl -sf -H 'content-type: application/json' -d "$message" "$base/minimal/echo")
[ "$a" = "$b" ] || { echo "echo answers differ: fitten=$a minimal=$b" >&2; exit 1; }
a=$(curl -sf "$base/fitten/hello/ada?times=3"); b=$(curl -sf "$base/minimal/hello/ada?times=3")
[ "$a" = "$b" ] || { echo "hello answers differ: fitten=$a minimal=$b" >&2; exit 1; }

rps() { wrk -t1 -c64 -d"$2" -s "$work/$3" "$base$1" | awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx " $0 > "/dev/stderr" }'; }
for op in "${ops[@]}"; do set -- $op; rps "$2" 3s "$4" >/dev/null; rps "$3" 3s "$4" >/dev/null; done  # JIT warm-up

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "round  operation      Minimal API (req/s)  Fitten (req/s)  ratio" >&2
for round in $(seq 1 "$rounds"); do
  for op in "${ops[@]}"; do
    set -- $op
    if [ $((round % 2)) -eq 1 ]; then f=$(rps "$2" "${duration}s" "$4"); m=$(rps "$3" "${duration}s" "$4")
    else m=$(rps "$3" "${duration}s" "$4"); f=$(rps "$2" "${duration}s" "$4"); fi
    echo "$f" >>"$work/$1.fitten"; echo "$m" >>"$work/$1.minimal"
    printf '%5s  %-13s  %19.0f  %14.0f  %5.2f\n' "$round" "$1" "$m" "$f" "$(echo "$f / $m" | bc -l)" >&2
  done
done

echo "| operation | Minimal API req/s | Fitten req/s | ratio | P5 (>= 0.95x) |"
echo "|---|---:|---:|---:|---|"
for op in "${ops[@]}"; do
  set -- $op
  fm=$(median <"$work/$1.fitten"); mm=$(median <"$work/$1.minimal"); ratio=$(echo "$fm / $mm" | bc -l)
  printf '| %s | %.0f | %.0f | %.2fx | %s |\n' "$1" "$mm" "$fm" "$ratio" "$(echo "$ratio >= 0.95" | bc -l | sed 's/1/met/; s/0/NOT met/')"
done
