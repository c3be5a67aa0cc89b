using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

/// <summary>Options of the Fitten RPC server. Bound from configuration section "Fitten:Server" and validated at start-up.</summary>
public sealed class FittenServerOptions
{
    /// <summary>Limits the server enforces on each connection (frame, metadata, concurrency, timeouts).</summary>
    public FittenLimits Limits { get; } = new();

    /// <summary>
    /// On shutdown, how long calls in flight may take to finish after the goaway before their connection closes.
    /// Default: 10 s, a third of the host's default 30 s shutdown timeout so draining ends before the host gives up.
    /// Range 0 to 10 minutes.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On shutdown, how long the host keeps accepting work after <c>/readyz</c> has turned 503, before Kestrel stops
    /// listening and connections drain. Set it to what your load balancer or orchestrator needs to notice (e.g.
    /// probe period × failure threshold in Kubernetes). Default: 0, no delay, as in ASP.NET Core. Range 0 to 5 minutes.
    /// </summary>
    public TimeSpan ReadinessDrainDelay { get; set; } = TimeSpan.Zero;
}
