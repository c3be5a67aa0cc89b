using System.Collections.Immutable;
using System.Globalization;

namespace Fitten.Resilience;

/// <summary>A method's circuit breaker with every setting resolved (see <see cref="CircuitBreakerOptions"/> for each).</summary>
public sealed record CircuitBreakerPolicy
{
    internal static readonly ImmutableArray<StatusCode> DefaultFailureStatusCodes =
        [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.ResourceExhausted];

    /// <summary>The failed share of calls at or above which it opens.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Calls in the window before it judges.</summary>
    public int MinimumThroughput { get; init; } = 20;

    /// <summary>The fixed slow-call threshold, or null.</summary>
    public TimeSpan? SlowCallThreshold { get; init; }

    /// <summary>The adaptive slow-call threshold as a multiple of the recent p95, or null.</summary>
    public double? SlowCallP95Multiple { get; init; }

    /// <summary>The slow share of calls at or above which it opens.</summary>
    public double SlowCallRatio { get; init; } = 0.5;

    /// <summary>The first break.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest break.</summary>
    public TimeSpan MaxBreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Probes that must all succeed to close it.</summary>
    public int HalfOpenProbes { get; init; } = 3;

    /// <summary>Statuses that count as failures.</summary>
    public ImmutableArray<StatusCode> FailureStatusCodes { get; init; } = DefaultFailureStatusCodes;

    /// <summary>Whether it judges speed at all.</summary>
    internal bool TracksSlowCalls => SlowCallThreshold is not null || SlowCallP95Multiple is not null;

    /// <inheritdoc/>
    public override string ToString()
    {
        string slow = SlowCallThreshold is { } t ? $", or {SlowCallRatio:P0} slower than {t.TotalMilliseconds:0.###} ms"
            : SlowCallP95Multiple is { } m ? $", or {SlowCallRatio:P0} slower than {m:0.##} x p95" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"breaker: opens at {FailureRatio:P0} failures ({string.Join("/", FailureStatusCodes.Select(Status.CodeName))}){slow} over >= {MinimumThroughput} calls in 10 s, breaks {BreakDuration.TotalMilliseconds:0.###}..{MaxBreakDuration.TotalMilliseconds:0.###} ms, closes after {HalfOpenProbes} good probes");
    }
}
