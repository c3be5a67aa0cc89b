// The server half of the RPC benchmark (bench/run-rpc.sh): one process serving the same 256-byte unary echo over
// Fitten RPC and over grpc-dotnet, each on its own loopback port, plus a small HTTP/1.1 /stats endpoint the load
// process reads before and after a measured phase to work out the server's bytes allocated per call.
// Run: dotnet Fitten.Benchmarks.Server.dll --fitten-port 5301 --grpc-port 5302 --stats-port 5303
using System.Net;
using Fitten;
using Fitten.AspNetCore.Hosting;
using Fitten.Benchmarks.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

int fittenPort = Arguments.Port(args, "--fitten-port", 5301);
int grpcPort = Arguments.Port(args, "--grpc-port", 5302);
int statsPort = Arguments.Port(args, "--stats-port", 5303);

// A slow instance for the hedging benchmark (bench/run-hedging.sh): every echo waits this long first. 0: none.
int delayMs = Arguments.Port(args, "--delay-ms", 0);

var echo = new Method<byte[], byte[]>("bench.echo", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);

// Two-hop calls (bench/run-propagation.sh): the load calls Relay here (hop A), whose handler calls Echo on this same
// server (hop B) over a second channel. Relay carries the inbound call's deadline, tags and chain headers on (the
// call context); RelayDetached makes the same onward call with IgnoreCallContext, so the difference between the two
// is what propagation costs per hop.
var relay = new Method<byte[], byte[]>("bench.relay", "Relay", BytesMarshaller.Instance, BytesMarshaller.Instance);
var relayDetached = new Method<byte[], byte[]>("bench.relay", "RelayDetached", BytesMarshaller.Instance, BytesMarshaller.Instance);
var onward = new Fitten.Client.FittenChannel(new IPEndPoint(IPAddress.Loopback, fittenPort));
var detached = new CallOptions { IgnoreCallContext = true };

// The slim builder and Warning-level logs for both stacks: neither pays for request logging it would not have in
// production, and both run under the same host, thread pool and GC settings, so only the RPC stacks differ.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddFitten()
    .AddUnaryMethod(echo, delayMs == 0
        ? static (request, _) => ValueTask.FromResult(request)
        : async (request, context) =>
        {
            await Task.Delay(delayMs, context.CancellationToken);
            return request;
        })
    .AddUnaryMethod(relay, (request, _) => onward.InvokeAsync(echo, request))
    .AddUnaryMethod(relayDetached, (request, _) => onward.InvokeAsync(echo, request, detached))
    .AddService<Fitten.Benchmarks.Contracts.IEchoContract, ContractEcho>();
builder.Services.AddGrpc();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, fittenPort, listen => listen.UseFitten());
    // gRPC over cleartext needs an HTTP/2-only endpoint (prior knowledge h2c), as grpc-dotnet documents.
    kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
    kestrel.Listen(IPAddress.Loopback, statsPort, listen => listen.Protocols = HttpProtocols.Http1);
});

var app = builder.Build();
app.MapGrpcService<GrpcEchoService>();
// Precise (true): the load process divides a delta by tens of thousands of calls, so the counter must be exact.
app.MapGet("/stats", static () => $"{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}");
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(
    $"ready fitten={fittenPort} grpc={grpcPort} stats={statsPort} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
await app.RunAsync();

/// <summary>The code-first echo: returns what it got, like the raw handler.</summary>
internal sealed class ContractEcho : Fitten.Benchmarks.Contracts.IEchoContract
{
    public ValueTask<byte[]> EchoAsync(byte[] payload) => ValueTask.FromResult(payload);
}
