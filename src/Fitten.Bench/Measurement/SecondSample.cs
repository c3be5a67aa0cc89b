namespace Fitten.Bench.Measurement;

/// <summary>One second of the measured run: throughput and latency of the requests that completed in it.</summary>
/// <param name="Second">Seconds since the measured run started (warm-up excluded).</param>
/// <param name="Requests">Requests completed in this second (errors included).</param>
/// <param name="Errors">Errors among them.</param>
/// <param name="P50">Median latency in this second.</param>
/// <param name="P99">99th-percentile latency in this second.</param>
/// <param name="Max">Highest latency in this second.</param>
public sealed record SecondSample(int Second, long Requests, long Errors, TimeSpan P50, TimeSpan P99, TimeSpan Max);
