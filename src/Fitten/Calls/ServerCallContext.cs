using System.Diagnostics;
using Fitten.Protocol;

namespace Fitten;

/// <summary>
/// What a handler knows about the call it serves, over Fitten RPC or HTTP/JSON alike. The call being served is also
/// reachable ambiently through <see cref="Current"/>, the way <see cref="Activity.Current"/> is, and calls made
/// from inside it inherit its deadline, tags and chain headers. Valid only until the handler's task completes: the
/// context is pooled and reused for a later call, so work that outlives the handler must copy what it needs.
/// </summary>
public abstract class ServerCallContext
{
    private static readonly AsyncLocal<ServerCallContext?> CurrentCall = new();

    private Metadata? _responseHeaders;

    /// <summary>
    /// The call being served on this asynchronous flow, or null outside a handler. Set by Fitten before the server
    /// pipeline runs, for RPC and HTTP/JSON alike; outgoing calls made while it is set inherit from it (see
    /// <see cref="CallOptions.IgnoreCallContext"/>).
    /// </summary>
    public static ServerCallContext? Current => CurrentCall.Value is { IsActive: true } call ? call : null;

    /// <summary>"service/method".</summary>
    public abstract string Method { get; }

    /// <summary>The service part of <see cref="Method"/>: the service this process is acting as while it serves the call.</summary>
    public virtual string Service => Method.IndexOf('/') is var slash and >= 0 ? Method[..slash] : Method;

    /// <summary>The method part of <see cref="Method"/> (the <c>rpc.method</c> attribute).</summary>
    internal virtual string MethodName => Method[(Service.Length + 1)..];

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

    /// <summary>
    /// Everything the caller sent besides the well-known entries: one-hop headers, chain headers and tags, each with
    /// its <see cref="MetadataEntryKind"/>. Tags and chain headers travel on with the calls this handler makes.
    /// </summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>
    /// Metadata sent back with the response, whatever its status (for example a retry-after hint or server timing):
    /// over RPC as response metadata entries, over HTTP/JSON as response headers. Add before the handler completes.
    /// </summary>
    public Metadata ResponseHeaders => _responseHeaders ??= new Metadata();

    /// <summary>The response headers if any were added; null otherwise (no allocation).</summary>
    internal Metadata? ResponseHeadersOrNull => _responseHeaders is { Count: > 0 } headers ? headers : null;

    /// <summary>
    /// The deadline as a <see cref="Stopwatch.GetTimestamp"/> value, <see cref="long.MaxValue"/> for none: what an
    /// onward call's deadline stage compares with, exact and without reading the wall clock.
    /// </summary>
    internal virtual long DeadlineTimestamp
    {
        get
        {
            var deadline = Deadline;
            if (deadline == DateTime.MaxValue)
            {
                return long.MaxValue;
            }

            var left = deadline - DateTime.UtcNow;
            return Stopwatch.GetTimestamp() + (long)(Math.Max(0, left.TotalSeconds) * Stopwatch.Frequency);
        }
    }

    /// <summary>
    /// Why <see cref="CancellationToken"/> fired: DEADLINE_EXCEEDED when the deadline passed, CANCELLED when the
    /// caller cancelled, UNAVAILABLE when its connection was lost. Calls made from inside end with the same status.
    /// </summary>
    internal virtual StatusCode CancellationStatus => DateTime.UtcNow >= Deadline ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;

    /// <summary>False once the call is over and its pooled context may serve another call: then <see cref="Current"/> reads null.</summary>
    internal virtual bool IsActive => true;

    /// <summary>
    /// An onward call made from inside this call starts: keep what it inherits (tags, chain headers, caller,
    /// cancellation) readable until <see cref="Release"/>, even if the handler returns first. A pooled context is
    /// not reused before then; an HTTP context copies what it would otherwise read from its HttpContext.
    /// </summary>
    internal virtual void Retain()
    {
    }

    /// <summary>The onward call that <see cref="Retain"/>ed this context is done with it.</summary>
    internal virtual void Release()
    {
    }

    /// <summary>
    /// Encodes a successful call's response the way its front end answers (the server pipeline does this inside
    /// telemetry, so a failure to encode counts as the call's failure); returns what went wrong, or null.
    /// </summary>
    internal virtual Exception? EncodeResponse<TResponse>(TResponse response) => null;

    /// <summary>Makes <paramref name="call"/> the ambient call of the current flow (null clears it).</summary>
    internal static void SetCurrent(ServerCallContext? call) => CurrentCall.Value = call;

    /// <summary>
    /// Writes the entries that travel the whole call chain (tags and chain headers) into an onward request's
    /// metadata, except those whose key the onward call sets itself (<paramref name="own"/>). A context that holds
    /// them in wire form copies bytes; the default reads <see cref="RequestHeaders"/>.
    /// </summary>
    internal virtual void WriteChainEntries(ref MetadataWriter writer, Metadata? own)
    {
        foreach (var entry in RequestHeaders)
        {
            if (entry.Kind is MetadataEntryKind.Tag or MetadataEntryKind.ChainHeader && !Overridden(own, entry.Key, entry.Kind))
            {
                writer.WritePair(entry.Kind == MetadataEntryKind.Tag ? MetadataKind.Tag : MetadataKind.ChainHeader, entry.Key, entry.Value);
            }
        }
    }

    /// <summary>Whether the onward call's own metadata sets <paramref name="key"/> with the same kind.</summary>
    private protected static bool Overridden(Metadata? own, string key, MetadataEntryKind kind)
    {
        if (own is null)
        {
            return false;
        }

        foreach (var entry in own)
        {
            if (entry.Kind == kind && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Forgets the response headers, for a pooled context's next call.</summary>
    private protected void ResetResponseHeaders() => _responseHeaders = null;
}
