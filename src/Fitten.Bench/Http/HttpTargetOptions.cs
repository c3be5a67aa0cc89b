namespace Fitten.Bench.Http;

/// <summary>What HTTP request to send. Validated by <see cref="HttpTarget"/> when it is created.</summary>
public sealed class HttpTargetOptions
{
    /// <summary>The endpoint, <c>http://host:port/path?query</c>. Only plain HTTP/1.1 for now (no TLS).</summary>
    public required Uri Url { get; init; }

    /// <summary>The request method. Default: <c>GET</c>.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Extra request headers, sent as given. <c>Host</c> and <c>Content-Length</c> are set by the target.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The request body, sent with a <c>Content-Length</c>. Default: none.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>How long opening a connection may take. Default: 5 s, long enough for any loopback or LAN peer.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
