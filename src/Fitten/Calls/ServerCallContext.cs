namespace Fitten;

/// <summary>
/// What a handler knows about the call it serves. Valid only until the handler's task completes: the context is
/// pooled and reused for a later call.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>"service/method".</summary>
    public abstract string Method { get; }

    /// <summary>When the caller stops waiting, in UTC; <see cref="DateTime.MaxValue"/> when it set no deadline.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>Fires when the client cancels, the deadline passes, or the connection is lost.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The remote address, e.g. "127.0.0.1:50123".</summary>
    public abstract string? Peer { get; }

    /// <summary>The calling service's name, when the caller sent one.</summary>
    public abstract string? Caller { get; }

    /// <summary>The W3C traceparent the caller sent, if any.</summary>
    public abstract string? TraceParent { get; }

    /// <summary>The W3C tracestate the caller sent, if any.</summary>
    public abstract string? TraceState { get; }

    /// <summary>The W3C baggage the caller sent, if any.</summary>
    public abstract string? Baggage { get; }

    /// <summary>The codec name the caller named, or null for the method's default.</summary>
    public abstract string? Codec { get; }

    /// <summary>Application headers and tags the caller sent.</summary>
    public abstract Metadata RequestHeaders { get; }
}
