using Fitten.Bench.Measurement.Internal;
using HdrHistogram;

namespace Fitten.Bench.Measurement;

/// <summary>The latency figures of a run (or a stage), read from the merged HdrHistogram.</summary>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Highest recorded latency.</param>
/// <param name="Mean">Arithmetic mean.</param>
public sealed record LatencySummary(TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan P999, TimeSpan Max, TimeSpan Mean)
{
    /// <summary>All zero: nothing was recorded.</summary>
    public static LatencySummary Empty { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    internal static LatencySummary From(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return Empty;
        }

        return new LatencySummary(
            LatencyHistograms.MicrosToTimeSpan(histogram.GetValueAtPercentile(50)),
            LatencyHistograms.MicrosToTimeSpan(histogram.GetValueAtPercentile(90)),
            LatencyHistograms.MicrosToTimeSpan(histogram.GetValueAtPercentile(99)),
            LatencyHistograms.MicrosToTimeSpan(histogram.GetValueAtPercentile(99.9)),
            LatencyHistograms.MicrosToTimeSpan(histogram.GetMaxValue()),
            TimeSpan.FromMicroseconds(histogram.GetMean()));
    }
}
