using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Fitten.AspNetCore.Discovery;

/// <summary>Registers registries, load-balanced service clients and this server's own registration.</summary>
public static class FittenDiscoveryBuilderExtensions
{
    /// <summary>
    /// Uses one <see cref="InProcessRegistry"/> as registrar, resolver and watcher: services hosted in this
    /// process find each other with no configuration. Also the fallback when no registry is added.
    /// </summary>
    public static IFittenBuilder AddInProcessRegistry(this IFittenBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InProcessRegistry>();
        builder.Services.TryAddSingleton<IServiceRegistrar>(static sp => sp.GetRequiredService<InProcessRegistry>());
        builder.Services.TryAddSingleton<IServiceResolver>(static sp => sp.GetRequiredService<InProcessRegistry>());
        builder.Services.TryAddSingleton<IServiceWatcher>(static sp => sp.GetRequiredService<InProcessRegistry>());
        return builder;
    }

    /// <summary>
    /// Resolves services from configuration (<c>Fitten:Clients:{service}:Endpoints</c> by default, see
    /// <see cref="ConfigurationRegistry"/>), following reloads. Replaces the in-process registry as resolver and watcher.
    /// The configuration is parsed when the host starts, so an entry that does not parse fails start-up.
    /// </summary>
    public static IFittenBuilder AddConfigurationRegistry(this IFittenBuilder builder, string sectionPath = ConfigurationRegistry.DefaultSectionPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new ConfigurationRegistry(sp.GetRequiredService<IConfiguration>(), sectionPath));

        // Resolving it when the host starts parses the configuration then: a bad entry fails start-up.
        builder.Services.AddSingleton<IHostedService>(static sp => new StartupCheck(sp.GetRequiredService<ConfigurationRegistry>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IServiceResolver>(static sp => sp.GetRequiredService<ConfigurationRegistry>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IServiceWatcher>(static sp => sp.GetRequiredService<ConfigurationRegistry>()));
        return builder;
    }

    /// <summary>
    /// Adds a load-balanced <see cref="ServiceChannel"/> to <paramref name="service"/>, resolved through the
    /// registered <see cref="IServiceWatcher"/>. Inject it (or <see cref="ICallInvoker"/>) with
    /// <c>[FromKeyedServices("service")]</c>. <paramref name="configure"/> runs, and the options are validated, in this call.
    /// </summary>
    public static IFittenBuilder AddServiceClient(this IFittenBuilder builder, string service, Action<ServiceChannelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        builder.AddInProcessRegistry();

        // Configured and validated here, so a bad option fails while the host is being built, not on a first call.
        var options = new ServiceChannelOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddKeyedSingleton(service, (sp, _) => new ServiceChannel(service, sp.GetRequiredService<IServiceWatcher>(), options));
        builder.Services.AddKeyedSingleton<ICallInvoker>(service, static (sp, key) => sp.GetRequiredKeyedService<ServiceChannel>(key));
        return builder;
    }

    /// <summary>
    /// Registers this server as an instance of <paramref name="service"/> once it listens (at each address
    /// Kestrel bound, so port 0 works), and deregisters it when the application starts stopping, before
    /// connections drain. <paramref name="configure"/> may set weight, zone, version and tags.
    /// </summary>
    public static IFittenBuilder AddServiceRegistration(this IFittenBuilder builder, string service, Func<ServiceInstance, ServiceInstance>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        builder.AddInProcessRegistry();
        builder.Services.AddSingleton<IHostedService>(sp => new ServiceRegistration(
            service, configure, sp.GetRequiredService<IServiceRegistrar>(), sp.GetRequiredService<IServer>(), sp.GetRequiredService<IHostApplicationLifetime>()));
        return builder;
    }

    /// <summary>A hosted service that does nothing but exist, so that its dependency is created when the host starts.</summary>
    private sealed class StartupCheck(object dependency) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(dependency);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
