namespace Fitten.Pipeline;

/// <summary>
/// A stage of the client pipeline: sees each outgoing call, calls <c>next</c> (or not) and returns the outcome,
/// which it may replace. Like grpc-dotnet's <c>Interceptor</c>, composed once per service and method when the
/// pipeline is built, never per call. Register one with <c>FittenChannelOptions.Interceptors</c> (or the client
/// options of <c>AddClient</c>/<c>AddFitten</c>); it runs once per call, inside the call's span and deadline, before
/// any retry (see <see cref="ClientPipeline"/> for the order of the stages).
/// </summary>
/// <remarks>
/// Report a failure by returning <see cref="CallOutcome{TResponse}.Failure"/>, not by throwing, so the stages
/// around it see it as an outcome; an exception an interceptor throws reaches the caller as it is. One instance
/// serves every call concurrently.
/// </remarks>
public abstract class ClientInterceptor
{
    /// <summary>Handles one call; <paramref name="next"/> runs the rest of the pipeline.</summary>
    public abstract ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next);
}
