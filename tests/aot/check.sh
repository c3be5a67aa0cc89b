#!/usr/bin/env bash
# Native AOT check: publishes samples/Greeter (a code-first service: generated client and server binding,
# MemoryPack codec, HTTP/JSON with a source-generated JSON context, OpenAPI, Kestrel) with PublishAot, fails on any trim/AOT warning, then runs the native binary, which
# serves and calls itself over loopback and exits 0 only if every call was answered.
# Usage: bash tests/aot/check.sh   (prints one line: "aot: PASS" or "aot: FAIL <why>"; exit code to match)
set -uo pipefail
cd "$(dirname "$0")/../.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log="$out/publish.log"
if ! timeout 900 dotnet publish samples/Greeter -c Release -r linux-x64 -p:PublishAot=true -o "$out/bin" >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "aot: FAIL publish failed"
  exit 1
fi

# Trim and AOT analysis warnings are IL2xxx / IL3xxx; the build log must have none but MemoryPack.Core's own
# per-assembly summaries (its reflection fallbacks; see samples/Greeter/Greeter.csproj and docs/contracts.md).
if grep -E "warning IL[23][0-9]{3}" "$log" | grep -v "MemoryPack.Core.dll : warning IL2104\|MemoryPack.Core.dll : warning IL3053" >&2; then
  echo "aot: FAIL trim/AOT warnings"
  exit 1
fi

if ! output=$(timeout 60 "$out/bin/Greeter" 2>&1); then
  echo "$output" >&2
  echo "aot: FAIL the native binary did not serve its calls"
  exit 1
fi

echo "$output" >&2
echo "aot: PASS"
