using System.Globalization;

namespace Fitten.Resilience;

/// <summary>
/// The effective policy of one method on one client, every setting resolved (<see cref="ClientPolicyOptions.Resolve"/>):
/// what the client does with the method's calls. Immutable; print it to see why a call was or was not retried.
/// </summary>
public sealed record MethodPolicy
{
    internal static readonly TimeSpan DefaultInitialBackoff = TimeSpan.FromMilliseconds(25);
    internal static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMilliseconds(250);

    /// <summary>"service/method".</summary>
    public required string Method { get; init; }

    /// <summary>The longest a call may take, attempts and waits included; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The longest one attempt may take; null for none.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Whether a call the server may have processed may be retried.</summary>
    public bool Idempotent { get; init; }

    /// <summary>Attempts a call may make in all; 1: no retries.</summary>
    public int MaxAttempts { get; init; } = RetryOptions.DefaultMaxAttempts;

    /// <summary>The cap of the first backoff wait.</summary>
    public TimeSpan InitialBackoff { get; init; } = DefaultInitialBackoff;

    /// <summary>The cap of every backoff wait.</summary>
    public TimeSpan MaxBackoff { get; init; } = DefaultMaxBackoff;

    /// <summary>Whether retries draw on the client's retry budget.</summary>
    public bool RetryBudget { get; init; } = true;

    /// <summary>The method's circuit breaker; null when it has none.</summary>
    public CircuitBreakerPolicy? CircuitBreaker { get; init; }

    /// <summary>Whether a fallback answers the method's calls when the breaker is open, the budget spent or the time up.</summary>
    public bool HasFallback { get; init; }

    /// <summary>The method's backup requests (it then does not retry); null when it does not hedge (never for a method that is not idempotent).</summary>
    public HedgingPolicy? Hedging { get; init; }

    /// <summary>Whether the client's retry stage has anything to do for this method (a hedging method has the hedging stage instead).</summary>
    internal bool NeedsRetryStage => Hedging is null && (MaxAttempts > 1 || AttemptTimeout is not null);

    /// <inheritdoc/>
    public override string ToString()
    {
        string retries = Hedging is { } hedging ? hedging.ToString()
            : MaxAttempts <= 1
            ? "no retries"
            : string.Create(CultureInfo.InvariantCulture, $"up to {MaxAttempts} attempts ({(Idempotent ? "idempotent: also after UNAVAILABLE, an attempt's timeout, RESOURCE_EXHAUSTED with retry-after" : "not idempotent: only calls never processed")}), backoff {Ms(InitialBackoff)}..{Ms(MaxBackoff)} full jitter, {(RetryBudget ? "within the retry budget" : "no retry budget")}");
        return string.Create(CultureInfo.InvariantCulture, $"{Method}: timeout {Ms(Timeout)}, attempt timeout {Ms(AttemptTimeout)}, {retries}{(CircuitBreaker is { } breaker ? "; " + breaker : string.Empty)}{(HasFallback ? "; fallback" : string.Empty)}");

        static string Ms(TimeSpan? value) => value is { } v ? v.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "none";
    }
}
