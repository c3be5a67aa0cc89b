#!/usr/bin/env bash
# etcd propagation delay: starts a throwaway etcd (Debian's etcd-server) on loopback in a temporary folder, runs
# bench/Fitten.Benchmarks.Etcd against it, and stops it. Usage: bash bench/run-etcd.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v etcd >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends etcd-server; }
data=$(mktemp -d)
client=http://127.0.0.1:23790; peer=http://127.0.0.1:23800
etcd --name bench --data-dir "$data" --listen-client-urls $client --advertise-client-urls $client \
  --listen-peer-urls $peer --initial-advertise-peer-urls $peer --initial-cluster bench=$peer >"$data.log" 2>&1 &
etcd_pid=$!
trap 'kill $etcd_pid 2>/dev/null; wait $etcd_pid 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
sleep 2
dotnet run -c Release --project bench/Fitten.Benchmarks.Etcd -- $client "${1:-200}"
