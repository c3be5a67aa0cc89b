namespace Fitten.Pipeline;

/// <summary>The rest of a server pipeline from one stage on: serves the call and completes with its outcome, never throwing for a failed call.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public delegate ValueTask<CallOutcome<TResponse>> ServerCallHandler<TRequest, TResponse>(TRequest request, ServerCallContext context);
