using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Fitten.AspNetCore.Server;
using Fitten.Codecs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Maps Fitten's HTTP endpoints.</summary>
public static class FittenEndpointRouteBuilderExtensions
{
    /// <summary>The liveness path: 200 while the process serves HTTP at all.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The readiness path: 200 while the service takes new work, 503 from the moment it starts shutting down.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>
    /// Maps Fitten's HTTP endpoints (requires <c>AddFitten()</c>):
    /// <list type="bullet">
    /// <item>every method of every served contract over HTTP/JSON, at <c>POST /{service}/{method}</c> (a JSON object of
    /// its parameters) and at its own <c>[HttpGet]</c>-style route, answering errors as problem details;</item>
    /// <item>the OpenAPI document at <c>/openapi/v1.json</c> (<c>FittenServerOptions.OpenApiRoute</c>);</item>
    /// <item>health: <c>/healthz</c> (alive) and <c>/readyz</c> (ready; turns 503 as soon as the host starts stopping,
    /// held for <c>FittenServerOptions.ReadinessDrainDelay</c> before Kestrel stops listening, so a load balancer stops
    /// sending new work while the instance still takes it).</item>
    /// </list>
    /// Fitten RPC itself is served by Kestrel endpoints (<c>UseFitten</c>, <c>UseFittenAlongsideHttp</c>), not by routing.
    /// </summary>
    public static IEndpointRouteBuilder MapFitten(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<FittenServerOptions>>().Value;
        if (options.MapHttpJson)
        {
            MapContracts(endpoints, options);
        }

        if (options.OpenApiRoute is { } openApiRoute)
        {
            endpoints.MapOpenApi(openApiRoute);
        }

        var lifetime = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>();
        var readiness = endpoints.ServiceProvider.GetRequiredService<ReadinessDrainDelay>();
        // RequestDelegate overloads: no delegate inspection, so no reflection and nothing for AOT to warn about.
        endpoints.MapGet(LivenessPath, static context => context.Response.WriteAsync("alive"));
        endpoints.MapGet(ReadinessPath, context =>
        {
            if (readiness.IsDraining || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return context.Response.WriteAsync("draining");
            }

            return context.Response.WriteAsync("ready");
        });
        return endpoints;
    }

    private static void MapContracts(IEndpointRouteBuilder endpoints, FittenServerOptions options)
    {
        var services = endpoints.ServiceProvider;
        var codec = services.GetServices<FittenCodec>().OfType<JsonCodec>().First();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Fitten.Http");
        foreach (var served in services.GetRequiredService<ServedContracts>().Contracts)
        {
            foreach (var method in served.Methods)
            {
                var descriptor = served.Contract.Methods.FirstOrDefault(m => m.Name == method.Name);
                if (descriptor is null || method.CreateHttpEndpoint(descriptor, codec, options.Limits.MaxFrameSize, logger) is not { } endpoint)
                {
                    continue;
                }

                endpoints.MapPost(endpoint.DefaultPattern, endpoint.HandleDefaultAsync)
                    .WithDisplayName($"Fitten HTTP/JSON {method.FullName}");
                if (descriptor.Route is { } route)
                {
                    endpoints.MapMethods(route.Template, [route.HttpMethod], endpoint.HandleRouteAsync)
                        .WithDisplayName($"Fitten HTTP/JSON {method.FullName} ({route.HttpMethod} {route.Template})");
                }
            }
        }
    }
}
