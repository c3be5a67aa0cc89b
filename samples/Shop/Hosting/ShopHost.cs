using System.Net;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.Discovery;
using Fitten.Etcd;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Shop.Contracts;

namespace Shop.Hosting;

/// <summary>
/// The shop's services running in this process, each in its own WebApplication as if it were its own process:
/// its own DI container, port and state. Program runs it from the command line; tests run it on port 0.
/// </summary>
public sealed class ShopHost : IAsyncDisposable
{
    private readonly List<(ShopService Service, WebApplication App)> _running = [];
    private bool _stopped;

    private ShopHost(ShopSettings settings) => Settings = settings;

    /// <summary>What this host was started with.</summary>
    public ShopSettings Settings { get; }

    /// <summary>
    /// Starts the services <paramref name="configuration"/> selects (see <see cref="ShopSettings"/>), in start order.
    /// Each service reads exactly this configuration, nothing else, so tests and the command line behave alike.
    /// </summary>
    public static async Task<ShopHost> StartAsync(IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var settings = ShopSettings.From(configuration);
        var host = new ShopHost(settings);

        // Shared by this process's services so they find each other; never created for the other registries.
        var inProcess = settings.Registry == ShopRegistry.InProcess ? new InProcessRegistry() : null;
        try
        {
            foreach (var service in settings.Services)
            {
                var app = Build(service, configuration, settings, inProcess);
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch
                {
                    await app.DisposeAsync();
                    throw;
                }

                host._running.Add((service, app));
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The address <paramref name="service"/> listens on, e.g. http://127.0.0.1:5080 (the bound port when configured as 0).</summary>
    public Uri Url(string service) => new(App(service).Urls.First());

    /// <summary>The DI container of <paramref name="service"/>'s host, e.g. to reach its implementation from a test.</summary>
    public IServiceProvider Services(string service) => App(service).Services;

    /// <summary>
    /// Stops one service and leaves the others running, to watch them cope (its registration goes, callers' retries,
    /// breakers and fallbacks take over). It stays stopped; <see cref="DisposeAsync"/> still disposes it.
    /// </summary>
    public Task StopServiceAsync(string service, CancellationToken cancellationToken = default) => App(service).StopAsync(cancellationToken);

    /// <summary>Stops the services in reverse start order: the gateway first, so users' calls stop before what they call does.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        for (int i = _running.Count - 1; i >= 0; i--)
        {
            await _running[i].App.StopAsync(cancellationToken);
        }
    }

    /// <summary>Stops (in order) and disposes every service.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        for (int i = _running.Count - 1; i >= 0; i--)
        {
            await _running[i].App.DisposeAsync();
        }

        _running.Clear();
    }

    private WebApplication App(string service)
        => _running.FirstOrDefault(r => r.Service.Name == service).App
            ?? throw new ArgumentException($"Service '{service}' does not run in this host.", nameof(service));

    private static WebApplication Build(ShopService service, IConfiguration configuration, ShopSettings settings, InProcessRegistry? inProcess)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = $"shop.{service.Name}",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();

        // One JSON context for HTTP/JSON, the JSON RPC codec and OpenAPI: no reflection, Native AOT-safe.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ShopJsonContext.Default));

        var fitten = builder.Services.AddFitten();
        switch (settings.Registry)
        {
            case ShopRegistry.InProcess:
                // Found by AddInProcessRegistry (TryAdd) before it would create a registry of this host's own.
                builder.Services.AddSingleton(inProcess!);
                service.Register?.Invoke(fitten);
                break;
            case ShopRegistry.Etcd:
                builder.Services.AddEtcdRegistry(o => o.Endpoint = settings.Etcd);
                service.Register?.Invoke(fitten);
                break;
            default:
                // Others find this service in their own configuration; there is nothing to register with.
                fitten.AddConfigurationRegistry();
                break;
        }

        service.Add(fitten);
        builder.WebHost.ConfigureKestrel(k => k.Listen(settings.Address, settings.Ports[service.Name], listen =>
        {
            if (service.ServesHttp)
            {
                // One port for HTTP/1.1, h2c and Fitten RPC, told apart by their first bytes.
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseFittenAlongsideHttp();
            }
            else
            {
                listen.UseFitten();
            }
        }));
        var app = builder.Build();
        if (service.ServesHttp)
        {
            app.MapFitten();
        }

        return app;
    }
}
