using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Maps Fitten's HTTP endpoints.</summary>
public static class FittenEndpointRouteBuilderExtensions
{
    /// <summary>The liveness path: 200 while the process serves HTTP at all.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The readiness path: 200 while the service takes new work, 503 from the moment it starts shutting down.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>
    /// Maps the health endpoints: <c>/healthz</c> (alive) and <c>/readyz</c> (ready; turns 503 as soon as the host
    /// starts stopping, held for <c>FittenServerOptions.ReadinessDrainDelay</c> before Kestrel stops listening, so a load
    /// balancer stops sending new work while the instance still takes it). Requires <c>AddFitten()</c>. Fitten RPC itself is
    /// served by Kestrel endpoints (<c>UseFitten</c>, <c>UseFittenAlongsideHttp</c>), not by routing.
    /// </summary>
    public static IEndpointRouteBuilder MapFitten(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
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
}
