using Fitten.Pipeline;

namespace Fitten.Resilience;

/// <summary>
/// Answers a call in the server's place when the client could not get an answer worth waiting for: the method's
/// circuit breaker is open, the retry budget was spent, or the call ran out of time. Receives the request and the
/// failed outcome (<see cref="CallOutcome{TResponse}.ResponseHeaders"/> says which of the three, through
/// <see cref="FittenHeaders.CircuitOpen"/> and <see cref="FittenHeaders.RetryBudgetExhausted"/>).
/// </summary>
public delegate ValueTask<TResponse> CallFallback<TRequest, TResponse>(TRequest request, CallOutcome<TResponse> failure);
