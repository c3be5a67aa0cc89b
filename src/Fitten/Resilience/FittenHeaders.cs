namespace Fitten.Resilience;

/// <summary>Metadata keys Fitten itself reads and writes, as header entries (one hop) of requests and responses.</summary>
public static class FittenHeaders
{
    /// <summary>
    /// On a request: which attempt of its call it is, "1" for the first retry or hedge (absent on a first attempt).
    /// A server's onward calls made while serving such a request are not retried (chain stop), so one failure deep in
    /// a call chain is retried once, where it happened, not at every hop above it.
    /// </summary>
    public const string Attempt = "fitten-attempt";

    /// <summary>
    /// On a response: the server's retry-after hint in milliseconds (gRPC's <c>grpc-retry-pushback-ms</c>). A client
    /// retries a RESOURCE_EXHAUSTED call only when it carries one, and waits that long first; a negative or
    /// unreadable value means "do not retry".
    /// </summary>
    public const string RetryPushbackMs = "fitten-retry-pushback-ms";

    /// <summary>
    /// On a failed outcome the client made itself (never on the wire): the method's circuit breaker is open, so the
    /// call was not sent. Retries do not retry it; a fallback may answer it.
    /// </summary>
    public const string CircuitOpen = "fitten-circuit-open";

    /// <summary>
    /// On a failed outcome the client made itself (never on the wire): retries were still allowed by the rules but the
    /// client's retry budget was spent. A fallback may answer it.
    /// </summary>
    public const string RetryBudgetExhausted = "fitten-retry-budget-exhausted";

    /// <summary>
    /// On a successful outcome a fallback made (never on the wire): why the fallback answered instead of the server,
    /// <c>circuit_open</c>, <c>retry_budget</c> or <c>deadline</c>.
    /// </summary>
    public const string Fallback = "fitten-fallback";

    /// <summary>
    /// On a failed outcome the client made itself (never on the wire): the request broke a limit of the server's (it
    /// is larger than the server's maximum frame size), so it was not sent. The caller's own failure: never retried,
    /// never counted by a circuit breaker.
    /// </summary>
    public const string RequestTooLarge = "fitten-request-too-large";
}
