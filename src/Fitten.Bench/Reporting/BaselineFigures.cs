namespace Fitten.Bench.Reporting;

/// <summary>The headline figures of a run, as stored in its JSON report; latencies in microseconds.</summary>
/// <param name="Requests">Measured requests.</param>
/// <param name="Errors">Measured errors.</param>
/// <param name="DurationSeconds">Measured duration.</param>
/// <param name="Rps">Requests per second.</param>
/// <param name="P50">Median latency, µs.</param>
/// <param name="P90">90th percentile, µs.</param>
/// <param name="P99">99th percentile, µs.</param>
/// <param name="P999">99.9th percentile, µs.</param>
/// <param name="Max">Highest latency, µs.</param>
public sealed record BaselineFigures(long Requests, long Errors, double DurationSeconds, double Rps, double P50, double P90, double P99, double P999, double Max)
{
    /// <summary>Share of requests that failed.</summary>
    public double ErrorRatio => Requests > 0 ? (double)Errors / Requests : 0;

    /// <summary>The same figures taken from a result.</summary>
    /// <param name="result">A run's result.</param>
    public static BaselineFigures From(Measurement.BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new BaselineFigures(
            result.Requests,
            result.Errors,
            result.Duration.TotalSeconds,
            result.RequestsPerSecond,
            result.Latency.P50.TotalMicroseconds,
            result.Latency.P90.TotalMicroseconds,
            result.Latency.P99.TotalMicroseconds,
            result.Latency.P999.TotalMicroseconds,
            result.Latency.Max.TotalMicroseconds);
    }
}
