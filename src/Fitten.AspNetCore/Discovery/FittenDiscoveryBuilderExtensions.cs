using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
        builder.Services.TryAddSingleton(static sp => new InProcessRegistry(sp.GetService<ILoggerFactory>()));
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
        builder.Services.AddSingleton(sp => new ConfigurationRegistry(sp.GetRequiredService<IConfiguration>(), sectionPath, sp.GetService<ILoggerFactory>()));

        // Resolving it when the host starts parses the configuration then: a bad entry fails start-up.
        builder.Services.AddSingleton<IHostedService>(static sp => new StartupCheck(sp.GetRequiredService<ConfigurationRegistry>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IServiceResolver>(static sp => sp.GetRequiredService<ConfigurationRegistry>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IServiceWatcher>(static sp => sp.GetRequiredService<ConfigurationRegistry>()));
        return builder;
    }

    /// <summary>
    /// Chooses the registry from configuration: <c>Fitten:Registry:Kind</c> (by default) is <c>inprocess</c> (the
    /// default), <c>configuration</c> (instances under <c>Fitten:Clients</c>; this process registers in-process) or
    /// <c>etcd</c> (after Fitten.Etcd's <c>services.AddEtcdRegistryKind()</c>, settings under <c>Fitten:Registry:Etcd</c>).
    /// An unknown or unavailable kind fails start-up with a message naming the key; the chosen registry is created
    /// when the host starts, so its own configuration is checked then too. Of this and the registries added in code
    /// (<c>AddEtcdRegistry</c>, <see cref="AddConfigurationRegistry"/>), whichever is called last wins.
    /// </summary>
    public static IFittenBuilder AddRegistryFromConfiguration(this IFittenBuilder builder, string sectionPath = RegistryOptions.DefaultSectionPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var services = builder.Services;
        services.AddOptions<RegistryOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.SectionPath = sectionPath;
                var section = configuration.GetSection(sectionPath);
                if (section[nameof(RegistryOptions.Kind)] is { Length: > 0 } kind)
                {
                    options.Kind = kind;
                }

                // AddFitten read Fitten:Registry:AdvertisedHost already; another section path may set it too.
                if (section[nameof(RegistryOptions.AdvertisedHost)] is { Length: > 0 } host)
                {
                    options.AdvertisedHost = host;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, AdvertisedHostValidator>());

        // The built-in kinds, as keyed services: Fitten.Etcd adds the etcd kind, and your own kinds come in the same way.
        // (AddInProcessRegistry for the registry itself; its unkeyed registrations are replaced below.)
        builder.AddInProcessRegistry();
        AddKind<InProcessRegistry, InProcessRegistry>(services, RegistryKinds.InProcess);
        services.TryAddSingleton(static sp => new ConfigurationRegistry(sp.GetRequiredService<IConfiguration>(), ConfigurationRegistry.DefaultSectionPath, sp.GetService<ILoggerFactory>()));
        AddKind<InProcessRegistry, ConfigurationRegistry>(services, RegistryKinds.Configuration);

        // The unkeyed services, which everything else asks for, follow the configured kind.
        services.RemoveAll<IServiceRegistrar>();
        services.RemoveAll<IServiceResolver>();
        services.RemoveAll<IServiceWatcher>();
        services.AddSingleton(static sp => sp.GetRequiredKeyedService<IServiceRegistrar>(ChosenKind(sp)));
        services.AddSingleton(static sp => sp.GetRequiredKeyedService<IServiceResolver>(ChosenKind(sp)));
        services.AddSingleton(static sp => sp.GetRequiredKeyedService<IServiceWatcher>(ChosenKind(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RegistryStartup>());
        return builder;

        static string ChosenKind(IServiceProvider sp) => sp.GetRequiredService<IOptions<RegistryOptions>>().Value.ServiceKey;
    }

    /// <summary>Registers a kind: <typeparamref name="TRegistrar"/> registers, <typeparamref name="TRegistry"/> resolves and watches.</summary>
    private static void AddKind<TRegistrar, TRegistry>(IServiceCollection services, string kind)
        where TRegistrar : class, IServiceRegistrar
        where TRegistry : class, IServiceResolver, IServiceWatcher
    {
        services.TryAddKeyedSingleton<IServiceRegistrar>(kind, static (sp, _) => sp.GetRequiredService<TRegistrar>());
        services.TryAddKeyedSingleton<IServiceResolver>(kind, static (sp, _) => sp.GetRequiredService<TRegistry>());
        services.TryAddKeyedSingleton<IServiceWatcher>(kind, static (sp, _) => sp.GetRequiredService<TRegistry>());
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

        // Options named after the service: Fitten:Clients:{service} from configuration, then the code's callback;
        // validated when the host starts, with messages naming the configuration key.
        builder.Services.AddOptions<ServiceChannelOptions>(service).Configure(o => configure?.Invoke(o)).ValidateOnStart();
        builder.Services.AddKeyedSingleton(service, (sp, _) => new ServiceChannel(
            service, sp.GetRequiredService<IServiceWatcher>(), sp.GetRequiredService<IOptionsMonitor<ServiceChannelOptions>>().Get(service), sp.GetService<ILoggerFactory>()));
        builder.Services.AddKeyedSingleton<ICallInvoker>(service, static (sp, key) => sp.GetRequiredKeyedService<ServiceChannel>(key));
        return builder;
    }

    /// <summary>
    /// Registers this server as an instance of <paramref name="service"/> once it listens, at each Kestrel endpoint
    /// that serves Fitten RPC (<c>UseFitten</c> or <c>UseFittenAlongsideHttp</c>; HTTP-only endpoints are not
    /// published) as Kestrel bound it, so port 0 works. An endpoint bound to 0.0.0.0 or [::] is published under
    /// <see cref="RegistryOptions.AdvertisedHost"/> (<c>Fitten:Registry:AdvertisedHost</c>, by default this machine's
    /// first non-loopback address). Deregisters when the application starts stopping, before connections drain.
    /// <paramref name="configure"/> may set weight, zone, version and tags.
    /// </summary>
    public static IFittenBuilder AddServiceRegistration(this IFittenBuilder builder, string service, Func<ServiceInstance, ServiceInstance>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        builder.AddInProcessRegistry();
        builder.Services.AddOptions<RegistryOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, AdvertisedHostValidator>());
        builder.Services.AddSingleton<IHostedService>(sp => new ServiceRegistration(
            service,
            configure,
            sp.GetRequiredService<IServiceRegistrar>(),
            sp.GetRequiredService<FittenEndpoints>(),
            sp.GetRequiredService<IOptions<RegistryOptions>>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(RegistrarLog.Category),
            AdvertisedHost.MachineAddresses));
        return builder;
    }

    /// <summary>A hosted service that does nothing but exist, so that its dependency is created when the host starts.</summary>
    private sealed class StartupCheck(object dependency) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(dependency);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
