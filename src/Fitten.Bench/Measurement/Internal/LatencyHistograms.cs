using HdrHistogram;

namespace Fitten.Bench.Measurement.Internal;

/// <summary>The one place that decides how latencies are stored: microseconds, 1 µs to 1 hour.</summary>
internal static class LatencyHistograms
{
    /// <summary>One hour in microseconds: above any request timeout plus open-model queueing we expect to see.</summary>
    public const long HighestMicros = 3_600_000_000;

    /// <summary>3 significant digits (0.1% error) for whole-run figures, as wrk2 and HdrHistogram's own tools do.</summary>
    public static LongHistogram CreatePrecise() => new(1, HighestMicros, 3);

    /// <summary>
    /// 2 significant digits (1% error) for per-second buckets: a chart does not need more, and the bucket is a
    /// tenth of the size, which matters for hour-long runs (one bucket per second).
    /// </summary>
    public static IntHistogram CreateCoarse() => new(1, HighestMicros, 2);

    /// <summary>Converts a Stopwatch interval to whole microseconds clamped to the histogram's range.</summary>
    public static long ToMicros(long stopwatchTicks)
    {
        var micros = (long)(stopwatchTicks * MicrosPerTick);
        return micros < 1 ? 1 : micros > HighestMicros ? HighestMicros : micros;
    }

    private static readonly double MicrosPerTick = 1_000_000d / System.Diagnostics.Stopwatch.Frequency;

    public static TimeSpan MicrosToTimeSpan(long micros) => TimeSpan.FromMicroseconds(micros);
}
