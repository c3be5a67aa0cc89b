using Fitten.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fitten.Etcd;

/// <summary>Registers an <see cref="EtcdRegistry"/> in a service collection.</summary>
public static class EtcdServiceCollectionExtensions
{
    /// <summary>
    /// Uses one <see cref="EtcdRegistry"/> as registrar, resolver and watcher, replacing the in-process registry
    /// whether this is called before or after the rest of Fitten's registration. Options are validated when the
    /// registry is first resolved; the container disposes it on shutdown, which revokes its lease.
    /// </summary>
    public static IServiceCollection AddEtcdRegistry(this IServiceCollection services, Action<EtcdRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ =>
        {
            var options = new EtcdRegistryOptions();
            configure?.Invoke(options);
            return new EtcdRegistry(options);
        });
        services.RemoveAll<IServiceRegistrar>();
        services.RemoveAll<IServiceResolver>();
        services.RemoveAll<IServiceWatcher>();
        services.AddSingleton<IServiceRegistrar>(static sp => sp.GetRequiredService<EtcdRegistry>());
        services.AddSingleton<IServiceResolver>(static sp => sp.GetRequiredService<EtcdRegistry>());
        services.AddSingleton<IServiceWatcher>(static sp => sp.GetRequiredService<EtcdRegistry>());
        return services;
    }
}
