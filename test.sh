#!/usr/bin/env bash
# Runs every Fitten test on a fresh machine: installs what the tests need, builds, tests, and ends with
# one line "N passed, N failed" counted from the test results (not from dotnet test's console summary).
set -uo pipefail
cd "$(dirname "$0")"

# System packages the tests need. Chromium renders fitten bench's HTML report headless (tests/Fitten.Cli.Tests);
# etcd (Debian's etcd-server) is started by tests/Fitten.Etcd.Tests on loopback ports in a temporary folder.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v etcd >/dev/null 2>&1 || missing="$missing etcd-server"
if [ -n "$missing" ]; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

results="$(pwd)/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

dotnet build Fitten.slnx -c Release
status=$?

# One dotnet test per test project, each writing its own named .trx. A hang must not eat CI's budget:
# blame-hang kills a test host that is silent for this long and fails the run.
if [ "$status" -eq 0 ]; then
  for proj in tests/*/*.Tests.csproj; do
    name=$(basename "$proj" .csproj)
    dotnet test "$proj" -c Release --no-build \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --blame-hang-timeout 5m || status=$?
  done
fi

passed=0; failed=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  p=$(echo "$counters" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(echo "$counters" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  e=$(echo "$counters" | grep -o ' error="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done

# The Native AOT check (tests/aot/check.sh) counts as one test. FITTEN_SKIP_AOT=1 skips it for quick local runs.
if [ "$status" -eq 0 ] && [ "${FITTEN_SKIP_AOT:-0}" != "1" ]; then
  if bash tests/aot/check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

# The package check (tests/package/check.sh: the packages serve a fresh project, generator included) counts as one
# test too; about a minute. FITTEN_SKIP_PACKAGE=1 skips it.
if [ "$status" -eq 0 ] && [ "${FITTEN_SKIP_PACKAGE:-0}" != "1" ]; then
  if bash tests/package/check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

# A build error or a crashed test host leaves dotnet test non-zero without a failed count: count it as one failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$files" -eq 0 ]; then failed=$((failed + 1)); fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
