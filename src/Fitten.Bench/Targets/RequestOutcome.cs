namespace Fitten.Bench.Targets;

/// <summary>How one request ended: success, or the kind of error (see <see cref="ErrorKinds"/>).</summary>
public readonly record struct RequestOutcome
{
    private RequestOutcome(string? errorKind, bool hasResponse)
    {
        ErrorKind = errorKind;
        HasResponse = hasResponse;
    }

    /// <summary>A successful request.</summary>
    public static RequestOutcome Success => new(null, hasResponse: true);

    /// <summary>The error kind, or <see langword="null"/> when the request succeeded.</summary>
    public string? ErrorKind { get; }

    /// <summary>
    /// Whether a response came back (success or an error status). Only such requests have a latency worth
    /// recording: a refused connection is not fast, it simply did not happen.
    /// </summary>
    public bool HasResponse { get; }

    /// <summary>Whether the request succeeded.</summary>
    public bool IsSuccess => ErrorKind is null;

    /// <summary>A response arrived but is an error, e.g. HTTP 503 or an RPC status other than OK.</summary>
    /// <param name="kind">The error kind, e.g. from <see cref="ErrorKinds.ForHttpStatus"/>.</param>
    public static RequestOutcome ErrorResponse(string kind) => new(kind, hasResponse: true);

    /// <summary>No response arrived: connection refused or broken, malformed response.</summary>
    /// <param name="kind">The error kind, e.g. <see cref="ErrorKinds.Connect"/>.</param>
    public static RequestOutcome Failure(string kind) => new(kind, hasResponse: false);
}
