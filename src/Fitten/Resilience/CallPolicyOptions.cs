namespace Fitten.Resilience;

/// <summary>
/// The policy of a client's calls: timeouts and retries. The same shape serves a whole service
/// (<see cref="ClientPolicyOptions"/>) and one of its methods (<see cref="ClientPolicyOptions.Methods"/>); every
/// property may be left unset, and an unset value is taken from the next level out: the method's setting, then
/// the contract's attribute, then the service's, then the documented default. <see cref="MethodPolicy"/> is the
/// result for one method.
/// </summary>
public class CallPolicyOptions
{
    /// <summary>
    /// The longest a call may take, all its attempts and the waits between them included; the deadline of the call
    /// being served, when there is one, is never exceeded. A call's own <see cref="CallOptions.Timeout"/> takes its
    /// place. Default: the method's <c>[FittenMethod(TimeoutMilliseconds)]</c>, else infinite (as in gRPC; set one
    /// in production). <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// The longest one attempt may take; an idempotent method's attempt that runs out is retried while the call has
    /// time left (a slow instance costs one attempt, not the call). Default: none (an attempt may use all the time
    /// the call has).
    /// </summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>
    /// Whether running the method twice is harmless, which lets retries repeat a call the server may have
    /// processed. Default: whether the contract method carries <c>[Idempotent]</c>. Set it here for a method whose
    /// contract you do not own.
    /// </summary>
    public bool? Idempotent { get; set; }

    /// <summary>How failed calls are retried.</summary>
    public RetryOptions Retry { get; } = new();

    /// <summary>Backup requests (off unless <see cref="HedgingOptions.Enabled"/>; only for idempotent methods).</summary>
    public HedgingOptions Hedging { get; } = new();

    /// <summary>The method's circuit breaker (off unless <see cref="CircuitBreakerOptions.Enabled"/>).</summary>
    public CircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the key (under <paramref name="path"/>) of a value out of range.</summary>
    internal void Validate(string path)
    {
        if (Timeout is { } timeout && timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(path + nameof(Timeout), timeout, "The timeout must be positive or infinite.");
        }

        if (AttemptTimeout is { } attempt && attempt <= TimeSpan.Zero && attempt != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(path + nameof(AttemptTimeout), attempt, "The attempt timeout must be positive or infinite.");
        }

        if (Retry.MaxAttempts is { } attempts and (< 1 or > 10))
        {
            throw new ArgumentOutOfRangeException(path + "Retry:MaxAttempts", attempts, "MaxAttempts must be between 1 and 10.");
        }

        if (Retry.InitialBackoff is { } initial && (initial < TimeSpan.FromMilliseconds(1) || initial > TimeSpan.FromMinutes(1)))
        {
            throw new ArgumentOutOfRangeException(path + "Retry:InitialBackoff", initial, "InitialBackoff must be between 1 ms and 1 min.");
        }

        CircuitBreaker.Validate(path);
        Hedging.Validate(path);
        if (Retry.MaxBackoff is { } max && (max > TimeSpan.FromMinutes(5) || max < (Retry.InitialBackoff ?? TimeSpan.FromMilliseconds(1))))
        {
            throw new ArgumentOutOfRangeException(path + "Retry:MaxBackoff", max, "MaxBackoff must be at least InitialBackoff and at most 5 min.");
        }
    }
}
