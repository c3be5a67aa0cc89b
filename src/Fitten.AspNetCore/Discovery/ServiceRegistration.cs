using Fitten.Discovery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Registers the server's bound addresses when the application has started and deregisters them when it starts
/// stopping. Started, not StartAsync: hosted services start before Kestrel binds, so port 0 is unknown then.
/// </summary>
internal sealed class ServiceRegistration(
    string service, Func<ServiceInstance, ServiceInstance>? configure, IServiceRegistrar registrar, IServer server, IHostApplicationLifetime lifetime)
    : IHostedService
{
    private readonly List<ServiceInstance> _registered = [];
    private CancellationTokenRegistration _started;
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() => RegisterAsync().AsTask().GetAwaiter().GetResult());

        // Deregister first thing on stop, so clients stop picking this instance while its connections drain.
        _stopping = lifetime.ApplicationStopping.Register(() => DeregisterAsync().AsTask().GetAwaiter().GetResult());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _started.DisposeAsync().ConfigureAwait(false);
        await _stopping.DisposeAsync().ConfigureAwait(false);
        await DeregisterAsync().ConfigureAwait(false);
    }

    private async ValueTask RegisterAsync()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Host == Hosting.Http2HandoffEndPoint.Name)
            {
                // The shared port's hidden h2c endpoint is listed like an address but binds no socket: never publish it.
                continue;
            }

            // A wildcard binding is reachable on loopback from this machine; other machines need a configured host.
            string host = uri.Host is "0.0.0.0" or "[::]" ? "127.0.0.1" : uri.Host.Trim('[', ']');
            var instance = new ServiceInstance(service, host, uri.Port);
            instance = configure?.Invoke(instance) ?? instance;
            await registrar.RegisterAsync(instance).ConfigureAwait(false);
            lock (_registered)
            {
                _registered.Add(instance);
            }
        }
    }

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
