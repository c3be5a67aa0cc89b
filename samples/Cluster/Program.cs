// Discovery and load balancing, by hand.
//   dotnet run --project samples/Cluster                      three instances and a client in one process (no setup)
//   dotnet run --project samples/Cluster -- server --port 5101 --etcd http://127.0.0.1:2379 [--weight 200] [--delay 20]
//   dotnet run --project samples/Cluster -- client --etcd http://127.0.0.1:2379 [--policy RoundRobin] [--seconds 60]
// The client prints, every second, how many calls each instance answered and how many failed; both sides log
// discovery events (registrations, etcd lease and watch trouble, ejections) at Information.
// A server's registry comes from configuration (Fitten:Registry): --etcd URL is short for
// --Fitten:Registry:Kind etcd --Fitten:Registry:Etcd:Endpoints URL, and environment variables work too
// (Fitten__Registry__Kind=etcd Fitten__Registry__Etcd__Endpoints=URL).
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
        using (var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Fitten.Discovery", LogLevel.Information)))
        await using (var registry = new EtcdRegistry(new EtcdRegistryOptions { Endpoint = etcd ?? "http://127.0.0.1:2379" }, logs))
        {
            await using var channel = new ServiceChannel(Service, registry, Options(Option("policy")), logs);
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
    Channel = { Policy = { Timeout = TimeSpan.FromSeconds(2) } },
};

async Task<WebApplication> StartServerAsync(int port, int weight, int delayMs, string? etcdEndpoint, InProcessRegistry? registry)
{
    var builder = WebApplication.CreateSlimBuilder(args);
    builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Fitten.Discovery", LogLevel.Information);
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

    else
    {
        // Fitten:Registry:Kind (inprocess by default) chooses; AddEtcdRegistryKind makes etcd one of the choices.
        if (etcdEndpoint is not null)
        {
            builder.Configuration["Fitten:Registry:Kind"] = RegistryKinds.Etcd;
            builder.Configuration["Fitten:Registry:Etcd:Endpoints"] = etcdEndpoint;
        }

        builder.Services.AddFitten().AddRegistryFromConfiguration();
        builder.Services.AddEtcdRegistryKind();
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
