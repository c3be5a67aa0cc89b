namespace Fitten.Resilience;

/// <summary>
/// How a client retries a failed call (<see cref="CallPolicyOptions.Retry"/>). Every property may be left unset:
/// a method's unset value comes from its service's, a service's from the default documented here.
/// </summary>
/// <remarks>
/// Which calls are retried is not configurable, because it is a question of safety, not taste: a call the server
/// never processed (refused, not sent, its connection failed before it was written) is retried for any method; an
/// idempotent method is also retried after UNAVAILABLE, after DEADLINE_EXCEEDED of one attempt
/// (<see cref="CallPolicyOptions.AttemptTimeout"/>) while the call has time left, and after RESOURCE_EXHAUSTED that
/// carries a retry-after hint (<see cref="FittenHeaders.RetryPushbackMs"/>), which is honoured. Nothing is retried
/// once the caller cancelled, and no retry starts that the call's deadline would not let finish its wait.
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>Default of <see cref="MaxAttempts"/>: the first attempt and two retries, as gRPC's and Kitex's examples.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>
    /// Attempts a call may make in all, the first included; 1 turns retries off (even of calls never processed).
    /// Default: 3. Range 1 to 10.
    /// </summary>
    public int? MaxAttempts { get; set; }

    /// <summary>
    /// The cap of the wait before the first backoff retry; the n-th waits a random time between zero and
    /// <c>min(MaxBackoff, InitialBackoff × 2^(n−1))</c> (full jitter, as Envoy does). A call never processed is sent
    /// again at once the first time, because another instance or connection can take it now. Default: 25 ms (Envoy).
    /// Range 1 ms to 1 min.
    /// </summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary>The longest wait between attempts (a retry-after hint from the server is honoured beyond it). Default: 250 ms (Envoy). Range: InitialBackoff to 5 min.</summary>
    public TimeSpan? MaxBackoff { get; set; }
}
