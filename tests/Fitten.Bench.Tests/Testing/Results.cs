using Fitten.Bench.Measurement;
using Fitten.Bench.Tracing;

namespace Fitten.Bench.Tests.Testing;

/// <summary>Builds results with chosen figures, for tests of what consumes them (thresholds, reports).</summary>
internal static class Results
{
    public static BenchResult Create(long requests = 10_000, long errors = 0, double seconds = 10, double p50Ms = 1, double p99Ms = 5, double maxMs = 20, long lateStarts = 0) => new()
    {
        Target = "GET http://127.0.0.1:8080/ping",
        Load = "closed, 8 workers",
        Connections = 8,
        StartedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(seconds),
        Requests = requests,
        Errors = errors,
        WarmupRequests = 100,
        LateStarts = lateStarts,
        ErrorsByKind = errors > 0 ? new Dictionary<string, long> { ["http 503"] = errors } : new Dictionary<string, long>(),
        Latency = new LatencySummary(TimeSpan.FromMilliseconds(p50Ms), TimeSpan.FromMilliseconds(p50Ms * 2), TimeSpan.FromMilliseconds(p99Ms), TimeSpan.FromMilliseconds(p99Ms * 2), TimeSpan.FromMilliseconds(maxMs), TimeSpan.FromMilliseconds(p50Ms * 1.2)),
        Percentiles = [new PercentilePoint(0, TimeSpan.FromMilliseconds(p50Ms / 2)), new PercentilePoint(50, TimeSpan.FromMilliseconds(p50Ms)), new PercentilePoint(99, TimeSpan.FromMilliseconds(p99Ms)), new PercentilePoint(100, TimeSpan.FromMilliseconds(maxMs))],
        Seconds = [new SecondSample(0, requests / 2, errors / 2, TimeSpan.FromMilliseconds(p50Ms), TimeSpan.FromMilliseconds(p99Ms), TimeSpan.FromMilliseconds(maxMs)), new SecondSample(1, requests - (requests / 2), errors - (errors / 2), TimeSpan.FromMilliseconds(p50Ms), TimeSpan.FromMilliseconds(p99Ms), TimeSpan.FromMilliseconds(maxMs))],
        Stages = [],
        SlowestTraces = [new TraceSample("0af7651916cd43dd8448eb211c80319c", TimeSpan.FromMilliseconds(maxMs), 1)],
    };
}
