#!/usr/bin/env bash
# Package check: packs Fitten and Fitten.AspNetCore into a temporary feed, then builds two fresh projects that know
# nothing of this repository and reference one package each:
#  - app/ (Microsoft.NET.Sdk.Web, Fitten.AspNetCore only) writes a new contract, serves it (Fitten RPC and HTTP/JSON on
#    loopback) and calls it through the generated client and over HTTP; it exits 0 only if every answer is right. So
#    the generator (packed in Fitten as an analyzer), MemoryPack and its generator reach a package consumer transitively.
#  - broken/ (a class library, Fitten only) holds a good contract and one with a generic method; its build must fail
#    with FIT001 and no non-FIT error, so diagnostics reach consumers and a client-only library's generated code compiles.
# Builds use their own output and package folders under one temporary directory, removed on exit; the repository's
# bin/obj and the machine's package cache are left as they were.
# Usage: bash tests/package/check.sh   (prints one line: "package: PASS" or "package: FAIL <why>"; exit code to match)
set -uo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/check.log"
fail() {
  tail -40 "$log" >&2
  echo "package: FAIL $*"
  exit 1
}

# A version no feed or cache has seen, so only the packages built here can satisfy the references.
suffix="check.$(date +%s)"
version="0.1.0-$suffix"
# Packing Fitten.AspNetCore builds Fitten and the generator too; Fitten is then packed from that build.
pack() {
  timeout 600 dotnet pack "$1" -c Release --disable-build-servers -p:VersionSuffix="$suffix" --artifacts-path "$work/artifacts" \
    -o "$work/feed" "${@:2}" >>"$log" 2>&1 || fail "dotnet pack $1 failed"
}
pack src/Fitten.AspNetCore
pack src/Fitten --no-build --no-restore
unzip -l "$work/feed/Fitten.$version.nupkg" analyzers/dotnet/cs/Fitten.Generator.dll >>"$log" 2>&1 \
  || fail "Fitten.$version.nupkg has no analyzers/dotnet/cs/Fitten.Generator.dll"

# The temporary feed is added to the machine's sources (nuget.org through its mirror, from the user's NuGet.Config);
# packages restore into a folder of their own.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <add key="fitten-check" value="$work/feed" />
  </packageSources>
</configuration>
EOF

# Fresh projects (under $work, so nothing of the repository's Directory.Build.props reaches them): NAME SDK PACKAGE.
fresh() {
  mkdir -p "$work/$1"
  cat >"$work/$1/$1.csproj" <<EOF
<Project Sdk="$2">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="$3" Version="$version" />
  </ItemGroup>
</Project>
EOF
}
fresh app Microsoft.NET.Sdk.Web Fitten.AspNetCore
fresh broken Microsoft.NET.Sdk Fitten

cat >"$work/app/Calculator.cs" <<'EOF'
using Fitten;
using MemoryPack;

namespace Fresh;

[FittenService("fresh.calc")]
public interface ICalculator
{
    ValueTask<int> AddAsync(int a, int b);

    [HttpGet("/square/{x}")]
    ValueTask<long> SquareAsync(long x);

    // A message type of the consumer's own: MemoryPack's generator must reach this project through Fitten.
    ValueTask<Total> SumAsync(Total[] parts);
}

[MemoryPackable]
public sealed partial record Total(string Label, long Value);

public sealed class Calculator : ICalculator
{
    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public ValueTask<long> SquareAsync(long x) => ValueTask.FromResult(x * x);

    public ValueTask<Total> SumAsync(Total[] parts)
        => ValueTask.FromResult(new Total(string.Join('+', parts.Select(p => p.Label)), parts.Sum(p => p.Value)));
}
EOF

cat >"$work/app/Program.cs" <<'EOF'
using System.Net;
using Fitten.AspNetCore.Hosting;
using Fresh;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddFitten().AddService<ICalculator, Calculator>();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
    k.Listen(IPAddress.Loopback, 0);
});
await using var server = builder.Build();
server.MapFitten();
await server.StartAsync();
var (rpcAddress, httpAddress) = (server.Urls.First(), server.Urls.Last());

var clientBuilder = WebApplication.CreateSlimBuilder(args);
clientBuilder.Services.AddFitten().AddClient<ICalculator>(rpcAddress, o => o.Policy.Timeout = TimeSpan.FromSeconds(5));
await using var client = clientBuilder.Build();
var calculator = client.Services.GetRequiredService<ICalculator>();

int sum = await calculator.AddAsync(2, 3);
long square = await calculator.SquareAsync(12);
var total = await calculator.SumAsync([new("a", 1), new("b", 2)]);
using var http = new HttpClient { BaseAddress = new Uri(httpAddress) };
string viaHttp = await http.GetStringAsync("/square/7");
Console.WriteLine($"AddAsync(2, 3) -> {sum}; SquareAsync(12) -> {square}; SumAsync -> {total}; GET /square/7 -> {viaHttp}");

await server.StopAsync();
return sum == 5 && square == 144 && total == new Total("a+b", 3) && viaHttp.Trim() == "49" ? 0 : 1;
EOF

# A client-only contract library on Fitten alone: one good contract, whose generated code must compile, and one with
# a generic method, which must fail the build with FIT001 and no error outside the generator's.
cat >"$work/broken/Contracts.cs" <<'EOF'
using Fitten;
using MemoryPack;

namespace Fresh.Library;

[FittenService("fresh.good")]
public interface IGood
{
    ValueTask<Reply> PingAsync(string text, CancellationToken cancellationToken = default);
}

[MemoryPackable]
public sealed partial record Reply(string Text);

[FittenService("fresh.broken")]
public interface IBroken
{
    ValueTask<T> EchoAsync<T>(T value);
}
EOF

cd "$work"
timeout 300 dotnet build app -c Release --disable-build-servers >>"$log" 2>&1 || fail "the fresh project did not build"
if ! output=$(timeout 60 dotnet app/bin/Release/net10.0/app.dll 2>&1); then
  echo "$output" >>"$log"
  fail "the fresh project's client and server did not answer right"
fi
echo "$output" >&2

timeout 300 dotnet build broken -c Release --disable-build-servers >"$work/broken.log" 2>&1
built=$?
cat "$work/broken.log" >>"$log"
[ "$built" -ne 0 ] || fail "a contract with a generic method built"
grep -q "error FIT001" "$work/broken.log" || fail "the broken contract failed without FIT001"
# Any error but the generator's own (a CS error in generated code, a restore error) means the library is broken too.
if grep -E "error [A-Z]+[0-9]+" "$work/broken.log" | grep -v "error FIT[0-9]" >&2; then
  fail "the contract library failed with more than FIT diagnostics"
fi

echo "package: PASS"
