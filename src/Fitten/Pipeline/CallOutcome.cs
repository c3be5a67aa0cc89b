namespace Fitten.Pipeline;

/// <summary>
/// How a call ended, as a value: the pipeline's stages read and replace outcomes instead of throwing and catching
/// (a retry stage looks at <see cref="NotProcessed"/> and <see cref="Status"/>; a breaker counts failures). Only the
/// pipeline's boundary turns a failed outcome into an <see cref="RpcException"/>.
/// </summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public readonly struct CallOutcome<TResponse>
{
    private CallOutcome(Status status, TResponse? response, bool notProcessed, Metadata? responseHeaders, object? peer = null)
    {
        Status = status;
        Response = response;
        NotProcessed = notProcessed;
        ResponseHeaders = responseHeaders;
        Peer = peer;
    }

    /// <summary>The call's status: OK, or why it failed.</summary>
    public Status Status { get; }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsOk => Status.Code == StatusCode.OK;

    /// <summary>The response message; <c>default</c> unless <see cref="IsOk"/>.</summary>
    public TResponse? Response { get; }

    /// <summary>The server never ran the call (refused, or it never left this process): it is safe to send again.</summary>
    public bool NotProcessed { get; }

    /// <summary>Metadata the server attached to its answer (for example a retry-after hint); null when it sent none.</summary>
    public Metadata? ResponseHeaders { get; }

    /// <summary>
    /// The instance the attempt went to, as the balancer knows it (set by a <c>ServiceChannel</c>): a retry passes it
    /// back as <see cref="OutgoingCall{TRequest, TResponse}.Avoid"/> so the next attempt goes elsewhere.
    /// </summary>
    internal object? Peer { get; }

    /// <summary>This outcome, naming the instance its attempt went to.</summary>
    internal CallOutcome<TResponse> WithPeer(object peer) => new(Status, Response, NotProcessed, ResponseHeaders, peer);

    /// <summary>A successful outcome.</summary>
    public static CallOutcome<TResponse> Success(TResponse response, Metadata? responseHeaders = null)
        => new(Status.Ok, response, notProcessed: false, responseHeaders);

    /// <summary>A failed outcome. <paramref name="notProcessed"/>: the server never ran the call.</summary>
    public static CallOutcome<TResponse> Failure(StatusCode code, string message, bool notProcessed = false, Metadata? responseHeaders = null)
    {
        if (code == StatusCode.OK)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "A failed outcome needs a status other than OK.");
        }

        return new(new Status(code, message ?? string.Empty), default, notProcessed, responseHeaders);
    }

    /// <summary>The response, or an <see cref="RpcException"/> carrying the status (what the pipeline's boundary does).</summary>
    public TResponse GetResponseOrThrow() => IsOk ? Response! : throw ToException();

    /// <summary>The <see cref="RpcException"/> a failed outcome ends in at the pipeline's boundary.</summary>
    public RpcException ToException()
        => IsOk
            ? throw new InvalidOperationException("The call succeeded; there is no exception to make.")
            : new RpcException(Status) { NotProcessed = NotProcessed, ResponseHeaders = ResponseHeaders };

    /// <inheritdoc/>
    public override string ToString() => NotProcessed ? Status + " (not processed)" : Status.ToString();
}
