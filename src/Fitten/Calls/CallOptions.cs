namespace Fitten;

/// <summary>Per-call options. The default value means: the channel's default timeout, no metadata, no cancellation.</summary>
public readonly record struct CallOptions
{
    /// <summary>How long the call may take, from now. Null uses the channel's <c>DefaultTimeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Cancels the call; the server is told to stop working on it.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Application metadata sent with the request.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>
    /// Key for consistent-hash load balancing: calls with the same key go to the same instance of a service
    /// while its instances stay the same. Not sent to the server. Null: no key (or the header named by
    /// <c>ServiceChannelOptions.HashKeyHeader</c>).
    /// </summary>
    public string? HashKey { get; init; }

    /// <summary>Options with only a timeout.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout) => new() { Timeout = timeout };
}
