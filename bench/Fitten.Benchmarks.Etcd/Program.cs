using System.Diagnostics;
using System.Globalization;
using Fitten.Discovery;
using Fitten.Etcd;

// Measures how long a registration takes to reach a watching client through etcd: from the start of
// RegisterAsync (or DeregisterAsync) in one registry to the snapshot that shows it in another registry's watch.
// Usage: dotnet run -c Release --project bench/Fitten.Benchmarks.Etcd -- [etcd URL] [rounds]
string endpoint = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
const string Service = "bench.propagation";

await using var registrar = new EtcdRegistry(new EtcdRegistryOptions { Endpoint = endpoint });
await using var watcher = new EtcdRegistry(new EtcdRegistryOptions { Endpoint = endpoint });
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
await using var watch = watcher.WatchAsync(Service, cts.Token).GetAsyncEnumerator(cts.Token);
if (!await watch.MoveNextAsync())
{
    throw new InvalidOperationException("The watch ended before its first snapshot.");
}

var added = new double[rounds];
var removed = new double[rounds];
for (int i = 0; i < rounds; i++)
{
    var instance = new ServiceInstance(Service, "127.0.0.1", 20_000 + i);
    long start = Stopwatch.GetTimestamp();
    await registrar.RegisterAsync(instance, cts.Token);
    await UntilAsync(set => set.Instances.Contains(instance));
    added[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    start = Stopwatch.GetTimestamp();
    await registrar.DeregisterAsync(instance, cts.Token);
    await UntilAsync(set => !set.Instances.Contains(instance));
    removed[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"etcd {endpoint}, {rounds} rounds, one registration at a time"));
Console.WriteLine("| change | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Print("register → watcher sees it", added);
Print("deregister → watcher sees it gone", removed);

async Task UntilAsync(Func<ServiceInstanceSet, bool> seen)
{
    while (!seen(watch.Current))
    {
        if (!await watch.MoveNextAsync())
        {
            throw new InvalidOperationException("The watch ended.");
        }
    }
}

static void Print(string name, double[] samples)
{
    Array.Sort(samples);
    double At(double q) => samples[Math.Min(samples.Length - 1, (int)(q * samples.Length))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {At(0.5):F2} | {At(0.9):F2} | {At(0.99):F2} | {samples[^1]:F2} |"));
}
