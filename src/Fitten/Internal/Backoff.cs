namespace Fitten.Internal;

/// <summary>
/// The wait between attempts after failures in a row, the way gRPC reconnects (grpc/doc/connection-backoff.md): the
/// first wait is the initial delay, each further one <see cref="Multiplier"/> times the one before up to the maximum,
/// and every wait is spread by ±<see cref="Jitter"/> so that clients that failed together do not come back together.
/// Unlike gRPC, a jittered wait is also held to the maximum, so the maximum an option documents is the longest wait.
/// Used by every reconnecting loop in Fitten: the connection pool, a service channel's watch, the etcd registry's
/// loops. Call retries wait with <see cref="FullJitter"/> instead.
/// </summary>
/// <remarks>A mutable struct: keep it in a field or local and call <see cref="Next()"/> on that, never on a copy.</remarks>
internal struct Backoff
{
    /// <summary>gRPC's backoff multiplier.</summary>
    public const double Multiplier = 1.6;

    /// <summary>gRPC's jitter: each wait is between 80% and 120% of its nominal value (and at most the maximum).</summary>
    public const double Jitter = 0.2;

    // 1.6^40 is about 1.5e8: far past any maximum an initial delay of a tick could be capped to, and no overflow.
    private const int MaxExponent = 40;

    private int _failures;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        Initial = initial;
        Max = max;
    }

    public readonly TimeSpan Initial { get; }

    public readonly TimeSpan Max { get; }

    /// <summary>Failures since the last <see cref="Reset"/>: how many waits <see cref="Next()"/> has handed out.</summary>
    public readonly int Failures => _failures;

    /// <summary>Counts a failure and returns the wait before the next attempt.</summary>
    public TimeSpan Next() => Next(Random.Shared.NextDouble());

    /// <summary>As <see cref="Next()"/>, with the jitter chosen by <paramref name="sample"/> in [0, 1): 0 is −20%, 0.5 none.</summary>
    public TimeSpan Next(double sample)
    {
        if (_failures < int.MaxValue)
        {
            _failures++;
        }

        return Delay(_failures, sample);
    }

    /// <summary>An attempt made progress: the next failure waits the initial delay again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 or more), before jitter.</summary>
    public readonly TimeSpan Nominal(int failures)
    {
        double ticks = Initial.Ticks * Math.Pow(Multiplier, Math.Clamp(failures - 1, 0, MaxExponent));
        return TimeSpan.FromTicks((long)Math.Min(ticks, Max.Ticks));
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row, jittered by <paramref name="sample"/>.</summary>
    public readonly TimeSpan Delay(int failures, double sample)
    {
        double factor = 1 - Jitter + (2 * Jitter * Math.Clamp(sample, 0, 1));
        double ticks = Nominal(failures).Ticks * factor;
        return TimeSpan.FromTicks((long)Math.Min(ticks, Max.Ticks));
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 or more) of a call, with full jitter (Envoy's and AWS's
    /// advice for many clients retrying one server): uniformly random between zero and
    /// <c>min(max, initial × 2^(retry−1))</c>, so retries of calls that failed together spread out instead of
    /// arriving together. <paramref name="sample"/> in [0, 1) picks the point.
    /// </summary>
    public static TimeSpan FullJitter(TimeSpan initial, TimeSpan max, int retry, double sample)
    {
        double cap = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Clamp(retry - 1, 0, MaxExponent)));
        return TimeSpan.FromTicks((long)(cap * Math.Clamp(sample, 0, 1)));
    }
}
