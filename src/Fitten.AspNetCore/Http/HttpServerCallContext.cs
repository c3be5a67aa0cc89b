using System.Globalization;
using Fitten.Codecs;
using Microsoft.AspNetCore.Http;

namespace Fitten.AspNetCore.Http;

/// <summary>
/// A handler's view of a call that came in over HTTP/JSON: cancellation is the request's abort token (and the
/// deadline, when the caller sent <see cref="TimeoutHeader"/>), trace context comes from the W3C headers, and
/// request headers are the call's metadata.
/// </summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable
{
    /// <summary>The header naming the calling service, like the RPC metadata's caller entry.</summary>
    public const string CallerHeader = "fitten-caller";

    /// <summary>
    /// The header carrying the caller's timeout, like the RPC metadata's timeout entry: milliseconds ("250"), or with
    /// a unit ("250ms", "2s"). The handler's token fires when it passes and the caller gets 504 DEADLINE_EXCEEDED.
    /// </summary>
    public const string TimeoutHeader = "fitten-timeout";

    /// <summary>
    /// The header carrying routing tags (<c>lane=canary</c>; several as <c>a=1, b=2</c> or repeated headers), like the
    /// RPC metadata's tag entries: they travel the whole call chain.
    /// </summary>
    public const string TagHeader = "fitten-tag";

    /// <summary>The header carrying chain headers (<c>tenant=acme</c>), which travel the whole call chain like tags.</summary>
    public const string ChainHeader = "fitten-chain";

    private readonly HttpContext _http;
    private readonly string _fullName;
    private readonly string _service;
    private readonly string _name;
    private readonly CancellationTokenSource? _deadline;
    private readonly DateTime _deadlineUtc = DateTime.MaxValue;
    private readonly long _deadlineTimestamp = long.MaxValue;
    private Metadata? _headers;

    private HttpServerCallContext(HttpContext http, string fullName, string service, string name, TimeSpan? timeout)
    {
        _http = http;
        (_fullName, _service, _name) = (fullName, service, name);
        if (timeout is { } t)
        {
            _deadlineUtc = DateTime.UtcNow + t;
            _deadlineTimestamp = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            _deadline.CancelAfter(t);
            http.Response.RegisterForDispose(this);
        }
    }

    public override string Method => _fullName;

    public override string Service => _service;

    internal override string MethodName => _name;

    internal override long DeadlineTimestamp => _deadlineTimestamp;

    internal override StatusCode CancellationStatus => DeadlinePassed ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;

    public override DateTime Deadline => _deadlineUtc;

    public override CancellationToken CancellationToken => _deadline?.Token ?? _http.RequestAborted;

    /// <summary>Whether the call's own deadline (not the client going away) cancelled it.</summary>
    public bool DeadlinePassed => _deadline is { IsCancellationRequested: true } && !_http.RequestAborted.IsCancellationRequested;

    /// <summary>Creates the context; null with <paramref name="error"/> set when the timeout header does not parse.</summary>
    public static HttpServerCallContext? Create<TRequest, TResponse>(HttpContext http, Method<TRequest, TResponse> method, out string? error)
    {
        error = null;
        if (!http.Request.Headers.TryGetValue(TimeoutHeader, out var values) || values.Count == 0)
        {
            return new HttpServerCallContext(http, method.FullName, method.ServiceName, method.Name, null);
        }

        if (!TryParseTimeout(values[0], out var timeout))
        {
            error = $"The {TimeoutHeader} header must be a positive number of milliseconds (\"250\", \"250ms\") or seconds (\"2s\"), at most 24 hours; '{values[0]}' is not.";
            return null;
        }

        return new HttpServerCallContext(http, method.FullName, method.ServiceName, method.Name, timeout);
    }

    internal static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var text = value.AsSpan().Trim();
        double scale = 1;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^2];
        }
        else if (text.EndsWith("s", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^1];
            scale = 1000;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) || amount * scale is <= 0 or > 86_400_000)
        {
            return false;
        }

        timeout = TimeSpan.FromMilliseconds(amount * scale);
        return true;
    }

    public void Dispose() => _deadline?.Dispose();

    public override string? Peer => _http.Connection.RemoteIpAddress is { } address
        ? string.Create(CultureInfo.InvariantCulture, $"{address}:{_http.Connection.RemotePort}")
        : null;

    public override string? Caller => Header(CallerHeader);

    public override string? TraceParent => Header("traceparent");

    public override string? TraceState => Header("tracestate");

    public override string? Baggage => Header("baggage");

    public override string? Codec => JsonCodec.CodecName;

    public override Metadata RequestHeaders => _headers ??= ReadHeaders();

    private string? Header(string name) => _http.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>
    /// The request's headers as metadata: <see cref="TagHeader"/> and <see cref="ChainHeader"/> entries become tags
    /// and chain headers (which onward calls carry on), every other header a one-hop header.
    /// </summary>
    private Metadata ReadHeaders()
    {
        var metadata = new Metadata();
        foreach (var (key, values) in _http.Request.Headers)
        {
            var kind = key.Equals(TagHeader, StringComparison.OrdinalIgnoreCase) ? MetadataEntryKind.Tag
                : key.Equals(ChainHeader, StringComparison.OrdinalIgnoreCase) ? MetadataEntryKind.ChainHeader
                : MetadataEntryKind.Header;
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (kind == MetadataEntryKind.Header)
                {
                    metadata.Add(key.ToLowerInvariant(), value);
                    continue;
                }

                foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    int equals = pair.IndexOf('=');
                    if (equals > 0)
                    {
                        metadata.Add(pair[..equals].Trim(), pair[(equals + 1)..].Trim(), kind);
                    }
                }
            }
        }

        return metadata;
    }
}
