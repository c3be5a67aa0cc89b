using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.Discovery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Registers the endpoints that serve Fitten RPC once Kestrel has bound them, and deregisters them when the
/// application starts stopping. In StartedAsync, not StartAsync: hosted services start before (or beside) the web
/// host that binds Kestrel, so port 0 is unknown then; StartedAsync runs after every StartAsync, and a throw there
/// (a wildcard binding with no host to publish) fails start-up. HTTP-only endpoints are never published: a client
/// sent there would speak Fitten RPC to a port that does not understand it.
/// </summary>
internal sealed partial class ServiceRegistration(
    string service,
    Func<ServiceInstance, ServiceInstance>? configure,
    IServiceRegistrar registrar,
    FittenEndpoints endpoints,
    IOptions<RegistryOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger logger,
    Func<IEnumerable<IPAddress>> machineAddresses) : IHostedLifecycleService
{
    private readonly List<ServiceInstance> _registered = [];
    private CancellationTokenRegistration _stopping;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Deregister first thing on stop, so clients stop picking this instance while its connections drain.
        _stopping = lifetime.ApplicationStopping.Register(() => DeregisterAsync().AsTask().GetAwaiter().GetResult());
        return Task.CompletedTask;
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // Every host first, so a wildcard with no host to publish fails start-up before anything is registered.
        var instances = new List<ServiceInstance>();
        foreach (var bound in endpoints.IPEndPoints())
        {
            string host = AdvertisedHost.For(bound, options.Value, machineAddresses);
            if (AdvertisedHost.IsWildcard(bound.Address))
            {
                Log.WildcardPublished(logger, bound.ToString(), host, bound.Port, service, options.Value.AdvertisedHost is null
                    ? $"this machine's first address; set {options.Value.AdvertisedHostKey} to choose"
                    : options.Value.AdvertisedHostKey);
            }

            var instance = new ServiceInstance(service, host, bound.Port);
            instances.Add(configure?.Invoke(instance) ?? instance);
        }

        if (instances.Count == 0)
        {
            Log.NoRpcEndpoint(logger, service);
        }

        foreach (var instance in instances)
        {
            await registrar.RegisterAsync(instance, cancellationToken).ConfigureAwait(false);
            lock (_registered)
            {
                _registered.Add(instance);
            }
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync().ConfigureAwait(false);
        await DeregisterAsync().ConfigureAwait(false);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask DeregisterAsync()
    {
        ServiceInstance[] registered;
        lock (_registered)
        {
            registered = [.. _registered];
            _registered.Clear();
        }

        foreach (var instance in registered)
        {
            await registrar.DeregisterAsync(instance).ConfigureAwait(false);
        }
    }
}
