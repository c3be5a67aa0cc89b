namespace Fitten;

/// <summary>
/// Per-call options. The default value means: the method's or the client's default timeout (never beyond the deadline of
/// the call being served), no metadata, no cancellation, the client's codec.
/// </summary>
public readonly record struct CallOptions
{
    /// <summary>How long the call may take, from now. Null uses the method's policy timeout (the client's <c>Policy</c>, docs/governance.md).</summary>
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

    /// <summary>
    /// The codec the call's messages travel in, when not the client's (for example a <c>JsonCodec</c> for one call);
    /// null: the client's codec, else the method's default.
    /// </summary>
    public Fitten.Codecs.FittenCodec? Codec { get; init; }

    /// <summary>
    /// True: the call inherits nothing from the call being served (<see cref="ServerCallContext.Current"/>): not its
    /// deadline, cancellation, tags or chain headers. For work that must outlive the inbound call. Default: false.
    /// </summary>
    public bool IgnoreCallContext { get; init; }

    /// <summary>Options with only a timeout.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout) => new() { Timeout = timeout };
}
