namespace Fitten.Pipeline;

/// <summary>
/// What a transport's call ends in: the outcome as a value (<see cref="AsOutcome{TResponse}"/>, for the stages above
/// it) or the caller's response with a failure thrown as <see cref="RpcException"/> (<see cref="AsResponse{TResponse}"/>,
/// for a call with no stage that waits between the caller and the transport). A type parameter, so the transport
/// has one body for both and the pipeline's boundary costs no second state machine or wrapper when it is not needed.
/// </summary>
internal interface IOutcomeShape<TResponse, TResult>
{
    static abstract TResult Success(TResponse response, Metadata? responseHeaders);

    static abstract TResult Failure(StatusCode code, string message, bool notProcessed, Metadata? responseHeaders);

    static abstract TResult From(CallOutcome<TResponse> outcome);
}

/// <summary>The call's <see cref="CallOutcome{TResponse}"/>, failed or not, as a value.</summary>
internal readonly struct AsOutcome<TResponse> : IOutcomeShape<TResponse, CallOutcome<TResponse>>
{
    public static CallOutcome<TResponse> Success(TResponse response, Metadata? responseHeaders)
        => CallOutcome<TResponse>.Success(response, responseHeaders);

    public static CallOutcome<TResponse> Failure(StatusCode code, string message, bool notProcessed, Metadata? responseHeaders)
        => CallOutcome<TResponse>.Failure(code, message, notProcessed, responseHeaders);

    public static CallOutcome<TResponse> From(CallOutcome<TResponse> outcome) => outcome;
}

/// <summary>The response; a failure is thrown as the <see cref="RpcException"/> the pipeline's boundary would make of its outcome.</summary>
internal readonly struct AsResponse<TResponse> : IOutcomeShape<TResponse, TResponse>
{
    public static TResponse Success(TResponse response, Metadata? responseHeaders) => response;

    public static TResponse Failure(StatusCode code, string message, bool notProcessed, Metadata? responseHeaders)
        => throw CallOutcome<TResponse>.Failure(code, message, notProcessed, responseHeaders).ToException();

    public static TResponse From(CallOutcome<TResponse> outcome) => outcome.GetResponseOrThrow();
}

/// <summary>
/// A transport that can end a call in the caller's response itself (<see cref="AsResponse{TResponse}"/>), through the
/// same code as its <see cref="IClientTransport.SendAsync{TRequest, TResponse}"/>. The pipeline uses it when no stage
/// has anything to do around the call (see <see cref="ClientPipeline"/>).
/// </summary>
internal interface IResponseTransport : IClientTransport
{
    ValueTask<TResponse> SendForResponseAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, InlineGovernance<TRequest, TResponse>? governance);
}
