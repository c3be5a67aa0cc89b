using System.Globalization;
using Fitten.Codecs;
using Microsoft.AspNetCore.Http;

namespace Fitten.AspNetCore.Http;

/// <summary>
/// A handler's view of a call that came in over HTTP/JSON: cancellation is the request's abort token, trace
/// context comes from the W3C headers, and request headers are the call's metadata.
/// </summary>
internal sealed class HttpServerCallContext(HttpContext http, string method) : ServerCallContext
{
    /// <summary>The header naming the calling service, like the RPC metadata's caller entry.</summary>
    public const string CallerHeader = "fitten-caller";

    private Metadata? _headers;

    public override string Method => method;

    public override DateTime Deadline => DateTime.MaxValue;

    public override CancellationToken CancellationToken => http.RequestAborted;

    public override string? Peer => http.Connection.RemoteIpAddress is { } address
        ? string.Create(CultureInfo.InvariantCulture, $"{address}:{http.Connection.RemotePort}")
        : null;

    public override string? Caller => Header(CallerHeader);

    public override string? TraceParent => Header("traceparent");

    public override string? TraceState => Header("tracestate");

    public override string? Baggage => Header("baggage");

    public override string? Codec => JsonCodec.CodecName;

    public override Metadata RequestHeaders => _headers ??= ReadHeaders();

    private string? Header(string name) => http.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private Metadata ReadHeaders()
    {
        var metadata = new Metadata();
        foreach (var (key, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    metadata.Add(key.ToLowerInvariant(), value);
                }
            }
        }

        return metadata;
    }
}
