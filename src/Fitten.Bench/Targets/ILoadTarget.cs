namespace Fitten.Bench.Targets;

/// <summary>
/// Something the engine can put load on: an HTTP endpoint today, a Fitten RPC method once the transport lands.
/// The engine only ever talks to this interface, so a new protocol is a new target, not an engine change.
/// </summary>
public interface ILoadTarget
{
    /// <summary>A short human-readable description for reports, e.g. <c>GET http://127.0.0.1:8080/ping</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Checks once, before any load, that the target can be reached at all, so a typo in a host or port fails in
    /// a second with a clear message instead of producing a run made only of connection errors.
    /// </summary>
    /// <exception cref="TargetUnreachableException">The target cannot be reached.</exception>
    ValueTask ProbeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates one sender: one connection's worth of state, used by one worker at a time. The engine creates one
    /// per worker (closed model) or per connection slot (open model) and never shares it between threads.
    /// </summary>
    IRequestSender CreateSender();
}
