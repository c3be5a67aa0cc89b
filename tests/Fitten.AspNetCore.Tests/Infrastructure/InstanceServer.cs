using System.Globalization;
using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// One instance of a load-balanced test service: a real Kestrel server on 127.0.0.1 answering
/// <see cref="Whoami"/> with its port after an adjustable delay, and counting the calls it served.
/// </summary>
public sealed class InstanceServer : IAsyncDisposable
{
    public const string Service = "test.lb";

    /// <summary>Answers the serving instance's port, after the instance's <see cref="Delay"/>.</summary>
    public static readonly Method<string, string> Whoami = new(Service, "Whoami", TestMethods.Utf8Marshaller.Instance, TestMethods.Utf8Marshaller.Instance);

    private readonly WebApplication _app;
    private int _calls;
    private bool _stopped;

    private InstanceServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Calls this instance served.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How long each call takes here.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>While true, calls here fail INTERNAL (the handler throws), a server failure outlier detection counts.</summary>
    public bool Failing { get; set; }

    public ServiceInstance Instance(int weight = ServiceInstance.DefaultWeight) => new(Service, IPAddress.Loopback.ToString(), Port) { Weight = weight };

    public static async Task<InstanceServer> StartAsync()
    {
        InstanceServer? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddUnaryMethod(Whoami, async (_, context) =>
        {
            Interlocked.Increment(ref server!._calls);
            if (server.Failing)
            {
                throw new InvalidOperationException("Failing on purpose.");
            }
            if (server.Delay > TimeSpan.Zero)
            {
                await Task.Delay(server.Delay, context.CancellationToken);
            }

            return server.Port.ToString(CultureInfo.InvariantCulture);
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseFitten()));
        var app = builder.Build();
        server = new InstanceServer(app);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    /// <summary>Starts <paramref name="count"/> instances.</summary>
    public static async Task<InstanceServer[]> StartManyAsync(int count)
    {
        var servers = new InstanceServer[count];
        for (int i = 0; i < count; i++)
        {
            servers[i] = await StartAsync();
        }

        return servers;
    }

    /// <summary>Stops the server abruptly enough that its port refuses connections afterwards.</summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(new CancellationToken(canceled: true));
            await _app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
