using Fitten.Protocol;

namespace Fitten.Client;

/// <summary>Options of a <see cref="FittenChannel"/>. Checked when the channel is created.</summary>
public sealed class FittenChannelOptions
{
    /// <summary>
    /// Connections kept to the endpoint; calls are spread over them round-robin. Default: 1, as in gRPC. One
    /// multiplexed connection carries thousands of calls, and every call it carries makes each send and each
    /// wake-up do more work: on the 2-core benchmark machine one connection served 1.5–1.8× the calls/s of two
    /// at 64 callers (docs/benchmarks.md). Raise it for very large messages or when one connection's
    /// bandwidth is the limit. Range 1 to 64.
    /// </summary>
    public int ConnectionsPerEndpoint { get; set; } = 1;

    /// <summary>
    /// Timeouts and retries of this client's calls, for the whole service and per method (docs/governance.md). Bound
    /// from the root of the client's configuration section (<c>Fitten:Clients:{service}:Timeout</c>,
    /// <c>…:Retry:MaxAttempts</c>, <c>…:Methods:{method}:AttemptTimeout</c>). Defaults: no timeout; 3 attempts, the
    /// retries within a budget of 20% of calls.
    /// </summary>
    public Resilience.ClientPolicyOptions Policy { get; } = new();

    /// <summary>How long one connection attempt may take. Default: 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Wait after the first failed connection attempt; each further failure multiplies it by 1.6 up to
    /// <see cref="MaxReconnectBackoff"/>, with ±20% jitter (gRPC's connection backoff). Calls made while
    /// waiting fail at once with UNAVAILABLE. Default: 100 ms.
    /// </summary>
    public TimeSpan InitialReconnectBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between connection attempts. Default: 5 s.</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this long without a byte from the server, the client sends a PING; a connection whose peer stays
    /// silent for <see cref="KeepAliveTimeout"/> more is closed and its calls fail with UNAVAILABLE, so a frozen
    /// process or a network that drops packets is noticed even by calls without a deadline (gRPC's keepalive time).
    /// Pings are sent with or without calls in flight, at most one per interval. <see cref="Timeout.InfiniteTimeSpan"/>
    /// turns keepalive off. Default: 15 s. At least 100 ms.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a keepalive PING may go unanswered before the connection is closed as dead. Default: 10 s (gRPC: 20 s). At least 100 ms.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The codec calls use instead of each method's default (MemoryPack for generated contracts), e.g.
    /// <c>new JsonCodec(options)</c>; it is named in each request's metadata and the server answers with it.
    /// Default: null, the method's own codec.
    /// </summary>
    public Fitten.Codecs.FittenCodec? Codec { get; set; }

    /// <summary>
    /// This service's name, sent as the caller in metadata. Default: none, except that a call made while serving
    /// one names the service being served.
    /// </summary>
    public string? Caller { get; set; }

    /// <summary>
    /// The user's client interceptors, outermost first. They run once per call, inside its span and deadline and
    /// before any retry (the order of all stages: <see cref="Pipeline.ClientPipeline"/>). Default: none.
    /// </summary>
    public IList<Pipeline.ClientInterceptor> Interceptors { get; } = [];

    /// <summary>Limits on what the channel accepts from servers (frame size, metadata entries).</summary>
    public ClientLimits Limits { get; } = new();

    private static readonly TimeSpan MinKeepAlive = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws when any option is out of range; the channel calls this on creation.</summary>
    public void Validate()
    {
        if (ConnectionsPerEndpoint is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectionsPerEndpoint), ConnectionsPerEndpoint, "ConnectionsPerEndpoint must be between 1 and 64.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "ConnectTimeout must be positive.");
        }

        if (InitialReconnectBackoff <= TimeSpan.Zero || MaxReconnectBackoff < InitialReconnectBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialReconnectBackoff), InitialReconnectBackoff, "Reconnect backoff must be positive and not above MaxReconnectBackoff.");
        }

        if (KeepAliveInterval < MinKeepAlive && KeepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), KeepAliveInterval, "KeepAliveInterval must be at least 100 ms, or infinite to turn keepalive off.");
        }

        if (KeepAliveTimeout < MinKeepAlive || KeepAliveTimeout == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAliveTimeout), KeepAliveTimeout, "KeepAliveTimeout must be at least 100 ms and finite.");
        }

        // The policy's keys sit at the root of the client's section, beside this object's own.
        Policy.Validate();
    }
}
