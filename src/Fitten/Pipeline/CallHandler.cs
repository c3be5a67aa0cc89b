namespace Fitten.Pipeline;

/// <summary>The rest of a client pipeline from one stage on: sends the call and completes with its outcome, never throwing for a failed call.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public delegate ValueTask<CallOutcome<TResponse>> CallHandler<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call);
