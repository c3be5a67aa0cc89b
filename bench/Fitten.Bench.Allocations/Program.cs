// Bytes the engine allocates per request, closed and open model, against a server in another process
// (bench/Fitten.Bench.PlainServer), so the server's own allocations are not counted.
// Usage: dotnet run -c Release --project bench/Fitten.Bench.Allocations -- http://127.0.0.1:5080/ping
using Fitten.Bench.Http;
using Fitten.Bench.Load;
using Fitten.Bench.Running;

var url = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5080/ping");
BenchScenario Scenario(LoadProfile load) => new()
{
    Target = new HttpTarget(new HttpTargetOptions { Url = url }),
    Load = load,
    Duration = TimeSpan.FromSeconds(5),
    Warmup = TimeSpan.FromSeconds(1),
};

// One unmeasured run first, so JIT and one-time setup are not counted.
await BenchRunner.RunAsync(Scenario(LoadProfile.Closed(64)));
foreach (var (name, load) in new[] { ("closed -c 64", LoadProfile.Closed(64)), ("open -r 10000", LoadProfile.Open(10_000)) })
{
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var gen0 = GC.CollectionCount(0);
    var result = await BenchRunner.RunAsync(Scenario(load));
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    var requests = result.Requests + result.WarmupRequests;
    Console.WriteLine($"{name}: {requests} requests, {allocated / (double)requests:0} B allocated per request, {GC.CollectionCount(0) - gen0} gen0 GCs, {result.RequestsPerSecond:0} req/s");
}
