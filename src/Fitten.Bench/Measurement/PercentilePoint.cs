namespace Fitten.Bench.Measurement;

/// <summary>One point of the latency distribution: <paramref name="Percentile"/>% of requests took at most <paramref name="Latency"/>.</summary>
/// <param name="Percentile">From 0 to 100.</param>
/// <param name="Latency">The latency at that percentile.</param>
public sealed record PercentilePoint(double Percentile, TimeSpan Latency);
