namespace Fitten.Resilience;

/// <summary>
/// A method's circuit breaker (<see cref="CallPolicyOptions.CircuitBreaker"/>): after too many failed or slow calls
/// over the last 10 seconds it opens and fails the method's calls at once, not processed, for a break; then lets a
/// few probe calls through and closes only when all of them succeed. Every property may be left unset: a method's
/// unset value comes from its service's, a service's from the default documented here.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Whether the breaker is on. Default: false (a breaker that opens fails calls, so it is chosen, not imposed).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Failed calls, as a share of the calls in the window, at or above which the breaker opens. Default: 0.5. Range 0.01 to 1.</summary>
    public double? FailureRatio { get; set; }

    /// <summary>Calls the window must hold before the breaker judges at all, so a handful of calls cannot open it. Default: 20. Range 1 to 100000.</summary>
    public int? MinimumThroughput { get; set; }

    /// <summary>A call slower than this counts as slow (Sentinel's slow-request ratio). Default: none.</summary>
    public TimeSpan? SlowCallThreshold { get; set; }

    /// <summary>
    /// A call slower than this multiple of the method's recent p95 latency counts as slow: an adaptive threshold that
    /// follows the method's normal speed. Used when <see cref="SlowCallThreshold"/> is unset. Default: none. Range 1 to 100.
    /// </summary>
    public double? SlowCallP95Multiple { get; set; }

    /// <summary>Slow calls, as a share of the calls in the window, at or above which the breaker opens. Default: 0.5. Range 0.01 to 1.</summary>
    public double? SlowCallRatio { get; set; }

    /// <summary>
    /// How long the breaker stays open after its first trip; each trip in a row doubles it, up to
    /// <see cref="MaxBreakDuration"/> (the count starts over once the breaker has stayed closed that long), so a
    /// service that keeps failing its probes is tried ever more rarely instead of flapping. Default: 5 s. Range 10 ms to 10 min.
    /// </summary>
    public TimeSpan? BreakDuration { get; set; }

    /// <summary>The longest break. Default: 60 s. Range: BreakDuration to 1 h.</summary>
    public TimeSpan? MaxBreakDuration { get; set; }

    /// <summary>
    /// Probe calls let through when a break ends; all must succeed to close the breaker, one failure opens it again
    /// (a single probe that happens to succeed would flap). Default: 3. Range 1 to 100.
    /// </summary>
    public int? HalfOpenProbes { get; set; }

    /// <summary>
    /// Statuses that count as failures. Default (when empty): UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL,
    /// RESOURCE_EXHAUSTED; never the caller's own mistakes (INVALID_ARGUMENT, NOT_FOUND…).
    /// </summary>
    public IList<StatusCode> FailureStatusCodes { get; } = [];

    internal void Validate(string path, string name = "CircuitBreaker")
    {
        path += name + ":";
        Check(FailureRatio, 0.01, 1, nameof(FailureRatio));
        Check(SlowCallRatio, 0.01, 1, nameof(SlowCallRatio));
        Check(SlowCallP95Multiple, 1, 100, nameof(SlowCallP95Multiple));
        if (MinimumThroughput is { } min and (< 1 or > 100_000))
        {
            throw new ArgumentOutOfRangeException(path + nameof(MinimumThroughput), min, "MinimumThroughput must be between 1 and 100000.");
        }

        if (HalfOpenProbes is { } probes and (< 1 or > 100))
        {
            throw new ArgumentOutOfRangeException(path + nameof(HalfOpenProbes), probes, "HalfOpenProbes must be between 1 and 100.");
        }

        if (SlowCallThreshold is { } slow && slow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(path + nameof(SlowCallThreshold), slow, "SlowCallThreshold must be positive.");
        }

        if (BreakDuration is { } brk && (brk < TimeSpan.FromMilliseconds(10) || brk > TimeSpan.FromMinutes(10)))
        {
            throw new ArgumentOutOfRangeException(path + nameof(BreakDuration), brk, "BreakDuration must be between 10 ms and 10 min.");
        }

        if (MaxBreakDuration is { } max && (max > TimeSpan.FromHours(1) || max < (BreakDuration ?? TimeSpan.FromMilliseconds(10))))
        {
            throw new ArgumentOutOfRangeException(path + nameof(MaxBreakDuration), max, "MaxBreakDuration must be at least BreakDuration and at most 1 h.");
        }

        foreach (var code in FailureStatusCodes)
        {
            if (code == StatusCode.OK || !Enum.IsDefined(code))
            {
                throw new ArgumentOutOfRangeException(path + nameof(FailureStatusCodes), code, "FailureStatusCodes must name failure statuses.");
            }
        }

        void Check(double? value, double low, double high, string name)
        {
            if (value is { } v && !(v >= low && v <= high))
            {
                throw new ArgumentOutOfRangeException(path + name, v, $"{name} must be between {low} and {high}.");
            }
        }
    }
}
