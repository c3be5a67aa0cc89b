using Fitten.Discovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        services.TryAddSingleton(sp =>
        {
            var options = new EtcdRegistryOptions();
            configure?.Invoke(options);
            return new EtcdRegistry(options, sp.GetService<ILoggerFactory>());
        });
        services.RemoveAll<IServiceRegistrar>();
        services.RemoveAll<IServiceResolver>();
        services.RemoveAll<IServiceWatcher>();
        services.AddSingleton<IServiceRegistrar>(static sp => sp.GetRequiredService<EtcdRegistry>());
        services.AddSingleton<IServiceResolver>(static sp => sp.GetRequiredService<EtcdRegistry>());
        services.AddSingleton<IServiceWatcher>(static sp => sp.GetRequiredService<EtcdRegistry>());
        return services;
    }

    /// <summary>
    /// Makes etcd a registry kind configuration can choose: with <c>AddFitten().AddRegistryFromConfiguration()</c>
    /// and <c>Fitten:Registry:Kind</c> = <c>etcd</c>, discovery uses an <see cref="EtcdRegistry"/> configured from
    /// <c>Fitten:Registry:Etcd</c>: <c>Endpoints</c> (required; an array or a comma-separated string), <c>Prefix</c>,
    /// <c>LeaseTtl</c>, <c>RequestTimeout</c>, <c>RetryDelay</c> (time spans as hh:mm:ss), defaults as in
    /// <see cref="EtcdRegistryOptions"/>. The registry is created, and its settings checked, only when the kind is
    /// chosen, as the host starts; a missing or bad setting fails start-up with a message naming its key.
    /// <paramref name="sectionPath"/> must be the one given to <c>AddRegistryFromConfiguration</c>.
    /// </summary>
    public static IServiceCollection AddEtcdRegistryKind(this IServiceCollection services, string sectionPath = "Fitten:Registry")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        services.AddOptions<EtcdRegistryOptions>(RegistryKinds.Etcd);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EtcdRegistryOptions>, EtcdRegistryConfiguration>(
            sp => new EtcdRegistryConfiguration(sp.GetRequiredService<IConfiguration>(), sectionPath)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdRegistryOptions>, EtcdRegistryConfiguration>(
            sp => new EtcdRegistryConfiguration(sp.GetRequiredService<IConfiguration>(), sectionPath)));
        services.TryAddKeyedSingleton(RegistryKinds.Etcd, static (sp, key) => new EtcdRegistry(
            sp.GetRequiredService<IOptionsMonitor<EtcdRegistryOptions>>().Get((string)key!), sp.GetService<ILoggerFactory>()));
        services.TryAddKeyedSingleton<IServiceRegistrar>(RegistryKinds.Etcd, static (sp, key) => sp.GetRequiredKeyedService<EtcdRegistry>(key));
        services.TryAddKeyedSingleton<IServiceResolver>(RegistryKinds.Etcd, static (sp, key) => sp.GetRequiredKeyedService<EtcdRegistry>(key));
        services.TryAddKeyedSingleton<IServiceWatcher>(RegistryKinds.Etcd, static (sp, key) => sp.GetRequiredKeyedService<EtcdRegistry>(key));
        return services;
    }
}
