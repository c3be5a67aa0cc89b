namespace Fitten.Pipeline;

/// <summary>
/// A stage of the server pipeline: sees each call a method serves, over Fitten RPC and HTTP/JSON alike, calls
/// <c>next</c> (or not) and returns the outcome, which it may replace. Composed once per method when the server
/// starts. Register one with <c>FittenServerOptions.Interceptors</c>; it runs inside the call's span and metrics,
/// right before the handler (the order of all stages is written in the server pipeline's builder).
/// </summary>
/// <remarks>
/// The handler's exceptions reach an interceptor already mapped to an outcome (RpcException to its status, anything
/// else to INTERNAL). Report a refusal by returning <see cref="CallOutcome{TResponse}.Failure"/>; add response
/// metadata through <see cref="ServerCallContext.ResponseHeaders"/>. One instance serves every call concurrently.
/// </remarks>
public abstract class ServerInterceptor
{
    /// <summary>Handles one call; <paramref name="next"/> runs the rest of the pipeline and the handler.</summary>
    public abstract ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next);
}
