using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Server;
using Fitten.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an OS-chosen port, serving the <see cref="TestMethods"/>, for
/// functional tests. Counts handler starts so tests can tell what the server accepted.
/// </summary>
public sealed class FittenTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _started;
    private int _completed;

    private FittenTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Address.Port);

    /// <summary>Handlers that started running.</summary>
    public int StartedCalls => Volatile.Read(ref _started);

    /// <summary>Handlers that ran to completion without being cancelled.</summary>
    public int CompletedCalls => Volatile.Read(ref _completed);

    public static async Task<FittenTestServer> StartAsync(
        Action<FittenServerOptions>? configure = null, bool shared = false, int port = 0, HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        Action<WebApplication>? mapHttp = null, ILoggerProvider? logs = null)
    {
        FittenTestServer? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddFitten(configure)
            .AddUnaryMethod(TestMethods.Echo, (request, _) =>
            {
                server!.Count(ref server._started);
                server.Count(ref server._completed);
                return ValueTask.FromResult(request);
            })
            .AddUnaryMethod(TestMethods.Delay, async (request, context) =>
            {
                server!.Count(ref server._started);
                await Task.Delay(int.Parse(request, System.Globalization.CultureInfo.InvariantCulture), context.CancellationToken);
                server.Count(ref server._completed);
                return request;
            })
            .AddUnaryMethod(TestMethods.Sleep, async (request, _) =>
            {
                server!.Count(ref server._started);
                await Task.Delay(int.Parse(request, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
                server.Count(ref server._completed);
                return request;
            })
            .AddUnaryMethod<string, string>(TestMethods.Throw, (_, _) => throw new InvalidOperationException("secret internal detail"))
            .AddUnaryMethod<string, string>(TestMethods.Fail, (request, _) => throw new RpcException(Enum.Parse<StatusCode>(request), "failed on purpose"))
            .AddUnaryMethod(TestMethods.Inspect, (_, context) => ValueTask.FromResult(
                $"caller={context.Caller};deadline={(context.Deadline == DateTime.MaxValue ? "none" : "set")};" +
                $"headers={string.Join(",", context.RequestHeaders.Select(h => $"{h.Kind}:{h.Key}={h.Value}"))};peer={(context.Peer is null ? "none" : "set")}"))
            .AddUnaryMethod(TestMethods.Strict, (request, _) => ValueTask.FromResult(request));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = protocols;
            if (shared)
            {
                listen.UseFittenAlongsideHttp();
            }
            else
            {
                listen.UseFitten();
            }
        }));
        var app = builder.Build();
        mapHttp?.Invoke(app);
        await app.StartAsync();
        server = new FittenTestServer(app, new Uri(app.Urls.First()));
        return server;
    }

    public FittenChannel CreateChannel(Action<FittenChannelOptions>? configure = null)
    {
        var options = new FittenChannelOptions();
        configure?.Invoke(options);
        return new FittenChannel(EndPoint, options);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Count(ref int counter) => Interlocked.Increment(ref counter);
}
