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

    // Read once, here: an onward call may read them after the request ended and Kestrel reset its HttpContext.
    private readonly CancellationToken _aborted;
    private readonly CancellationToken _token;
    private Metadata? _headers;
    private int _holds = 1;
    private Fitten.Internal.PooledBufferWriter? _body;
    private volatile bool _ended;

    private HttpServerCallContext(HttpContext http, string fullName, string service, string name, TimeSpan? timeout)
    {
        _http = http;
        (_fullName, _service, _name) = (fullName, service, name);
        _aborted = http.RequestAborted;
        _token = _aborted;
        if (timeout is { } t)
        {
            _deadlineUtc = DateTime.UtcNow + t;
            _deadlineTimestamp = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
            _deadline.CancelAfter(t);
            _token = _deadline.Token;
        }

        http.Response.RegisterForDispose(this);
    }

    public override string Method => _fullName;

    public override string Service => _service;

    internal override string MethodName => _name;

    internal override long DeadlineTimestamp => _deadlineTimestamp;

    internal override StatusCode CancellationStatus => DeadlinePassed ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;

    public override DateTime Deadline => _deadlineUtc;

    public override CancellationToken CancellationToken => _token;

    /// <summary>Whether the call's own deadline (not the client going away) cancelled it.</summary>
    public bool DeadlinePassed => _deadline is { IsCancellationRequested: true } && !_aborted.IsCancellationRequested;

    internal override bool IsActive => !_ended;

    /// <summary>The pipeline has finished: the handler's flow, and work it left behind, no longer see this call as current.</summary>
    public void End() => _ended = true;

    /// <summary>An onward call keeps this context: copy the headers it will read while the request is still ours.</summary>
    internal override void Retain()
    {
        _ = RequestHeaders;
        Interlocked.Increment(ref _holds);
    }

    internal override void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            _deadline?.Dispose();
        }
    }

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

        // IsFinite: double.TryParse takes "NaN" and "Infinity" whatever the number styles.
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) || !double.IsFinite(amount) || amount * scale is <= 0 or > 86_400_000)
        {
            return false;
        }

        timeout = TimeSpan.FromMilliseconds(amount * scale);
        return true;
    }

    /// <summary>The response is over (ASP.NET Core disposes what the request registered); the deadline's timer goes once onward calls are done too.</summary>
    public void Dispose()
    {
        End();
        _body?.Release();
        _body = null;
        Release();
    }

    /// <summary>The <see cref="Marshaller{T}"/> that writes the response as JSON; set by the endpoint before the pipeline runs.</summary>
    public object? ResponseMarshaller { get; set; }

    /// <summary>The encoded response body (pooled; given back when the response is over).</summary>
    public ReadOnlySpan<byte> ResponseBody => _body is null ? default : _body.WrittenSpan;

    internal override Exception? EncodeResponse<TResponse>(TResponse response)
    {
        try
        {
            _body ??= new Fitten.Internal.PooledBufferWriter();
            _body.Reset();
            ((Marshaller<TResponse>)ResponseMarshaller!).Serialize(response, _body);
            return null;
        }
        catch (Exception ex)
        {
            _body?.Reset();
            return ex;
        }
    }

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
