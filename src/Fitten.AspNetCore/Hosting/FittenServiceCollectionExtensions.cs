using System.Diagnostics.CodeAnalysis;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Registers Fitten in a service collection.</summary>
public static class FittenServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Fitten RPC server. Serve it from Kestrel with <c>ListenOptions.UseFitten()</c> (a dedicated port)
    /// or <c>ListenOptions.UseFittenAlongsideHttp()</c> (one port for HTTP and Fitten RPC).
    /// </summary>
    public static IFittenBuilder AddFitten(this IServiceCollection services, Action<FittenServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Configuration first (Fitten:Server, Fitten:Clients:{service}), then the code's callbacks: code wins.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<FittenServerOptions>, FittenOptionsSetup>(static sp => new FittenOptionsSetup(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Fitten.Client.FittenChannelOptions>, FittenOptionsSetup>(static sp => new FittenOptionsSetup(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Fitten.Client.ServiceChannelOptions>, FittenOptionsSetup>(static sp => new FittenOptionsSetup(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Discovery.RegistryOptions>, FittenOptionsSetup>(static sp => new FittenOptionsSetup(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Fitten.Client.FittenChannelOptions>, OptionsProblems>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Fitten.Client.ServiceChannelOptions>, OptionsProblems>());
        var options = services.AddOptions<FittenServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FittenServerOptions>, FittenServerOptionsValidator>());
        // The JSON codec shares ASP.NET Core's HTTP JSON options (ConfigureHttpJsonOptions), the ones Minimal APIs and
        // OpenAPI use, so one JsonSerializerContext registered there serves RPC-over-JSON, HTTP/JSON and the schema.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Fitten.Codecs.FittenCodec, Fitten.Codecs.JsonCodec>(
            static sp => new Fitten.Codecs.JsonCodec(sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions)));
        services.TryAddSingleton<ReadinessDrainDelay>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ReadinessDrainDelay>(static sp => sp.GetRequiredService<ReadinessDrainDelay>()));
        services.TryAddSingleton<Http2Handoff>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<KestrelServerOptions>, Http2Handoff>(static sp => sp.GetRequiredService<Http2Handoff>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionListenerFactory, Http2HandoffListenerFactory>());
        services.TryAddSingleton<FittenEndpoints>();
        services.TryAddSingleton<ServedContracts>();
        services.TryAddSingleton<Pipeline.ServerPipeline>();
        if (!services.Any(static d => d.ServiceType == typeof(Http.FittenOpenApiTransformer)))
        {
            // Once, however often AddFitten is called: the "v1" document, with Fitten's endpoints added to it.
            var transformer = new Http.FittenOpenApiTransformer();
            services.AddSingleton(transformer);
            services.AddOpenApi(o => o.AddDocumentTransformer(transformer));
        }

        services.TryAddSingleton(static sp => new FittenRpcServer(
            sp.GetRequiredService<ServedContracts>().AllMethods(), sp.GetRequiredService<IOptions<FittenServerOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
        return new FittenBuilder(services);
    }

    /// <summary>
    /// Serves the contract <typeparamref name="TContract"/> (an interface marked <c>[FittenService]</c>) with
    /// <typeparamref name="TImplementation"/>, resolved once from DI when the server starts; it is registered as a
    /// singleton unless already registered.
    /// </summary>
    public static IFittenBuilder AddService<TContract, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IFittenBuilder builder)
        where TContract : class
        where TImplementation : class, TContract
    {
        ArgumentNullException.ThrowIfNull(builder);
        var contract = FittenContracts.Get<TContract>();
        builder.Services.TryAddSingleton<TImplementation>();
        builder.Services.AddSingleton(new ContractBinding(contract, static sp => sp.GetRequiredService<TImplementation>()));
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="TContract"/> as an injectable client of the service at <paramref name="address"/>
    /// ("host:port"), over one shared <see cref="Fitten.Client.FittenChannel"/>. Its options (named after the service)
    /// come from <c>Fitten:Clients:{service}</c> in configuration, then <paramref name="configure"/>; they are
    /// validated when the host starts.
    /// </summary>
    public static IFittenBuilder AddClient<TContract>(this IFittenBuilder builder, string address, Action<Fitten.Client.FittenChannelOptions>? configure = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var contract = FittenContracts.Get<TContract>();
        string name = contract.ServiceName;
        var endPoint = Fitten.Client.FittenAddress.Parse(address);
        builder.Services.AddOptions<Fitten.Client.FittenChannelOptions>(name).Configure(o => configure?.Invoke(o)).ValidateOnStart();
        builder.Services.AddKeyedSingleton(name, (sp, _) => new Fitten.Client.FittenChannel(endPoint, sp.GetRequiredService<IOptionsMonitor<Fitten.Client.FittenChannelOptions>>().Get(name), sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        builder.Services.AddSingleton(sp => (TContract)contract.CreateClient(sp.GetRequiredKeyedService<Fitten.Client.FittenChannel>(contract.ServiceName)));
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="TContract"/> as an injectable client that finds the service's instances through
    /// the registered registry (the in-process one by default) and balances calls over them with a
    /// <see cref="Fitten.Client.ServiceChannel"/>.
    /// </summary>
    public static IFittenBuilder AddClient<TContract>(this IFittenBuilder builder, Action<Fitten.Client.ServiceChannelOptions>? configure = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var contract = FittenContracts.Get<TContract>();
        builder.AddServiceClient(contract.ServiceName, configure);
        builder.Services.AddSingleton(sp => (TContract)contract.CreateClient(sp.GetRequiredKeyedService<Fitten.Client.ICallInvoker>(contract.ServiceName)));
        return builder;
    }

    /// <summary>
    /// Adds <paramref name="interceptor"/> to every Fitten client this container makes (<c>AddClient</c>,
    /// <c>AddServiceClient</c>), in front of each client's own interceptors, in the order of these calls.
    /// </summary>
    public static IFittenBuilder AddClientInterceptor(this IFittenBuilder builder, Fitten.Pipeline.ClientInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(interceptor);
        int order = builder.Services.Count(static d => d.ImplementationInstance is ClientInterceptorRegistration) / 2;
        var registration = new ClientInterceptorRegistration(interceptor, order);
        builder.Services.AddSingleton<IPostConfigureOptions<Fitten.Client.FittenChannelOptions>>(registration);
        builder.Services.AddSingleton<IPostConfigureOptions<Fitten.Client.ServiceChannelOptions>>(registration);
        return builder;
    }

    /// <summary>Registers this server as an instance of the contract's service once it listens (see <c>AddServiceRegistration</c>).</summary>
    public static IFittenBuilder AddServiceRegistration<TContract>(this IFittenBuilder builder, Func<Fitten.Discovery.ServiceInstance, Fitten.Discovery.ServiceInstance>? configure = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddServiceRegistration(FittenContracts.Get<TContract>().ServiceName, configure);
    }

    /// <summary>Serves a unary method with <paramref name="handler"/>.</summary>
    public static IFittenBuilder AddUnaryMethod<TRequest, TResponse>(
        this IFittenBuilder builder, Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton<ServerMethod>(sp => new UnaryServerMethod<TRequest, TResponse>(method, handler, sp.GetRequiredService<Pipeline.ServerPipeline>(), sp.GetServices<Fitten.Codecs.FittenCodec>()));
        return builder;
    }

    /// <summary>
    /// Serves a unary method with a handler that needs a service from DI. <typeparamref name="TService"/> is
    /// resolved once, from the root provider, when the server starts: register it as a singleton.
    /// </summary>
    public static IFittenBuilder AddUnaryMethod<TService, TRequest, TResponse>(
        this IFittenBuilder builder, Method<TRequest, TResponse> method, Func<TService, TRequest, ServerCallContext, ValueTask<TResponse>> handler)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton<ServerMethod>(sp =>
        {
            var service = sp.GetRequiredService<TService>();
            return new UnaryServerMethod<TRequest, TResponse>(method, (request, context) => handler(service, request, context), sp.GetRequiredService<Pipeline.ServerPipeline>(), sp.GetServices<Fitten.Codecs.FittenCodec>());
        });
        return builder;
    }
}
