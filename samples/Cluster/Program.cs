// Discovery and load balancing, by hand.
//   dotnet run --project samples/Cluster                      three instances and a client in one process (no setup)
//   dotnet run --project samples/Cluster -- server --port 5101 --etcd http://127.0.0.1:2379 [--weight 200] [--delay 20]
//   dotnet run --project samples/Cluster -- client --etcd http://127.0.0.1:2379 [--policy RoundRobin] [--seconds 60]
// The client prints, every second, how many calls each instance answered and how many failed.
using System.Globalization;
using System.Net;
using System.Text;
using Fitten;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd;
using Fitten.LoadBalancing;

const string Service = "samples.cluster";
var whoami = new Method<byte[], byte[]>(Service, "Whoami", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
string? Option(string name) => Array.IndexOf(args, "--" + name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntOption(string name, int fallback) => Option(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
string? etcd = Option("etcd");

switch (mode)
{
    case "server":
        var server = await StartServerAsync(IntOption("port", 0), IntOption("weight", ServiceInstance.DefaultWeight), IntOption("delay", 0), etcd, registry: null);
        Console.WriteLine($"Instance of {Service} on {server.Urls.First()}{(etcd is null ? string.Empty : $", registered in etcd {etcd}")}. Ctrl+C stops it (and deregisters it).");
        await server.WaitForShutdownAsync();
        break;

    case "client":
        await using (var registry = new EtcdRegistry(new EtcdRegistryOptions { Endpoint = etcd ?? "http://127.0.0.1:2379" }))
        {
            await using var channel = new ServiceChannel(Service, registry, Options(Option("policy")));
            await ReportAsync(channel, TimeSpan.FromSeconds(IntOption("seconds", 60)));
        }

        break;

    default:
        // Everything in one process on the in-process registry: three instances (one twice as heavy, one slow).
        var inProcess = new InProcessRegistry();
        var servers = new[]
        {
            await StartServerAsync(0, 100, 0, null, inProcess),
            await StartServerAsync(0, 200, 0, null, inProcess),
            await StartServerAsync(0, 100, 20, null, inProcess),
        };
        foreach (string policy in new[] { LoadBalancingPolicies.WeightedRoundRobin, LoadBalancingPolicies.PowerOfTwoChoices })
        {
            Console.WriteLine($"{policy}: weights 100/200/100, the third instance 20 ms slower");
            await using var channel = new ServiceChannel(Service, inProcess, Options(policy));
            await ReportAsync(channel, TimeSpan.FromSeconds(2));
        }

        Console.WriteLine("Killing the second instance; calls keep flowing to the others:");
        await using (var channel = new ServiceChannel(Service, inProcess, Options(LoadBalancingPolicies.RoundRobin)))
        {
            await ReportAsync(channel, TimeSpan.FromSeconds(1));
            await servers[1].StopAsync(new CancellationToken(canceled: true));
            await ReportAsync(channel, TimeSpan.FromSeconds(2));
        }

        foreach (var app in servers)
        {
            await app.DisposeAsync();
        }

        break;
}

ServiceChannelOptions Options(string? policy) => new()
{
    LoadBalancingPolicy = policy ?? LoadBalancingPolicies.PowerOfTwoChoices,
    Channel = { DefaultTimeout = TimeSpan.FromSeconds(2) },
};

async Task<WebApplication> StartServerAsync(int port, int weight, int delayMs, string? etcdEndpoint, InProcessRegistry? registry)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    byte[]? name = null;
    builder.Services.AddFitten()
        .AddUnaryMethod(whoami, async (_, context) =>
        {
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, context.CancellationToken);
            }

            return name!;
        })
        .AddServiceRegistration(Service, i => i with { Weight = weight });
    if (registry is not null)
    {
        builder.Services.AddSingleton(registry);
    }

    if (etcdEndpoint is not null)
    {
        builder.Services.AddEtcdRegistry(o => o.Endpoint = etcdEndpoint);
    }

    builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseFitten()));
    var app = builder.Build();
    await app.StartAsync();
    name = Encoding.UTF8.GetBytes(new Uri(app.Urls.First()).Port.ToString(CultureInfo.InvariantCulture));
    return app;
}

async Task ReportAsync(ServiceChannel channel, TimeSpan duration)
{
    // Eight callers for the given time; a line per second: calls answered per instance port, and failures.
    using var stop = new CancellationTokenSource(duration);
    var counts = new Dictionary<string, int>();
    int failures = 0;
    var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                string port = Encoding.UTF8.GetString(await channel.InvokeAsync(whoami, []));
                lock (counts)
                {
                    counts[port] = counts.GetValueOrDefault(port) + 1;
                }
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref failures);
                await Task.Delay(100);
            }
        }
    })).ToArray();
    while (!stop.IsCancellationRequested)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        lock (counts)
        {
            Console.WriteLine($"  {string.Join("  ", counts.OrderBy(c => c.Key).Select(c => $":{c.Key} {c.Value,6}"))}  failed {failures}");
            counts.Clear();
        }
    }

    await Task.WhenAll(callers);
}
