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

    /// <summary>The same as <see cref="Whoami"/>, declared idempotent: safe for the client to retry after it may have run.</summary>
    public static readonly Method<string, string> Read = new(Service, "Read", TestMethods.Utf8Marshaller.Instance, TestMethods.Utf8Marshaller.Instance, idempotent: true);

    private readonly WebApplication _app;
    private int _calls;
    private int _retried;
    private int _cancelled;
    private bool _stopped;

    private InstanceServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Calls this instance served.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How long each call takes here.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Calls that came marked as a retry (the <c>fitten-attempt</c> header).</summary>
    public int RetriedCalls => Volatile.Read(ref _retried);

    /// <summary>Calls whose wait (<see cref="Delay"/>) the client cancelled: a deadline, a caller, a lost hedge.</summary>
    public int CancelledCalls => Volatile.Read(ref _cancelled);

    /// <summary>While set, calls here fail with this status (thrown as <see cref="RpcException"/> by the handler).</summary>
    public StatusCode? FailWith { get; set; }

    /// <summary>While set, a failing call's response carries this retry-after hint (<c>fitten-retry-pushback-ms</c>).</summary>
    public string? Pushback { get; set; }

    /// <summary>While true, calls here fail INTERNAL (the handler throws), a server failure outlier detection counts.</summary>
    public bool Failing { get; set; }

    public ServiceInstance Instance(int weight = ServiceInstance.DefaultWeight) => new(Service, IPAddress.Loopback.ToString(), Port) { Weight = weight };

    public static async Task<InstanceServer> StartAsync()
    {
        InstanceServer? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Func<string, ServerCallContext, ValueTask<string>> handler = async (_, context) =>
        {
            Interlocked.Increment(ref server!._calls);
            if (context.RequestHeaders.GetValue(Fitten.Resilience.FittenHeaders.Attempt) is not null)
            {
                Interlocked.Increment(ref server._retried);
            }

            if (server.Failing)
            {
                throw new InvalidOperationException("Failing on purpose.");
            }

            if (server.FailWith is { } code)
            {
                if (server.Pushback is { } pushback)
                {
                    context.ResponseHeaders.Add(Fitten.Resilience.FittenHeaders.RetryPushbackMs, pushback);
                }

                throw new RpcException(code, "Failing on purpose.");
            }

            if (server.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(server.Delay, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref server._cancelled);
                    throw;
                }
            }

            return server.Port.ToString(CultureInfo.InvariantCulture);
        };
        builder.Services.AddFitten().AddUnaryMethod(Whoami, handler).AddUnaryMethod(Read, handler);
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
