using Fitten.Bench.Load;
using Fitten.Bench.Targets;

namespace Fitten.Bench.Running;

/// <summary>
/// A load test declared in code: what to hit, how, for how long. Run it with <see cref="BenchRunner.RunAsync"/>
/// and assert on the <see cref="Measurement.BenchResult"/>.
/// </summary>
/// <example>
/// <code>
/// var result = await BenchRunner.RunAsync(new BenchScenario
/// {
///     Target = new HttpTarget(new HttpTargetOptions { Url = new Uri("http://127.0.0.1:8080/ping") }),
///     Load = LoadProfile.Open(2000),
///     Duration = TimeSpan.FromSeconds(10),
/// });
/// Assert.True(result.Latency.P99 &lt; TimeSpan.FromMilliseconds(5));
/// </code>
/// </example>
public sealed class BenchScenario
{
    /// <summary>Default <see cref="Connections"/> in the open model: 64, the same as the usual wrk comparison (<c>-c64</c>).</summary>
    public const int DefaultOpenConnections = 64;

    /// <summary>What to put load on.</summary>
    public required ILoadTarget Target { get; init; }

    /// <summary>The load model and its steps.</summary>
    public required LoadProfile Load { get; init; }

    /// <summary>
    /// How long to measure (after the warm-up). Default: 10 s when neither this nor <see cref="Requests"/> is set
    /// (wrk's default), because a shorter run rarely has a stable p99. Must not be set for a staged profile,
    /// whose stages set the length.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop after this many measured requests instead of (or, with <see cref="Duration"/>, as well as) a duration.</summary>
    public long? Requests { get; init; }

    /// <summary>
    /// Load sent before measuring starts, excluded from every figure. Default: zero here; the command line uses
    /// 1 s, because the first requests pay for JIT compilation and connection setup on both sides.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Open model only: connections that carry the scheduled requests (each one request at a time). Default:
    /// <see cref="DefaultOpenConnections"/>. When all are busy, further requests wait and count as late starts; their
    /// waiting is part of their latency. The closed model uses one connection per worker.
    /// </summary>
    public int? Connections { get; init; }

    /// <summary>A request that has not answered after this long is counted as a timeout and its connection dropped. Default: 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Share of requests (0 to 1) that carry a sampled W3C <c>traceparent</c>, so the slowest of them can be found in
    /// the server's traces. Default: 0 (none).
    /// </summary>
    public double TraceSampleRatio { get; init; }

    /// <summary>
    /// Open model: how late a request may start before it counts as a late start. Default: 5 ms, because timer
    /// resolution (about 1 ms on Linux) and thread-pool scheduling on a busy machine make smaller delays noise.
    /// </summary>
    public TimeSpan LateStartTolerance { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The measured duration the run will use: <see cref="Duration"/>, the stages' total, or the 10 s default.</summary>
    public TimeSpan? EffectiveDuration =>
        Load.IsStaged ? Load.StagedDuration : Duration ?? (Requests is null ? TimeSpan.FromSeconds(10) : null);

    /// <summary>Workers (connections) the run will use.</summary>
    public int EffectiveConnections =>
        Load.Model == LoadModel.Closed ? (int)Load.Peak : Connections ?? DefaultOpenConnections;

    /// <summary>Checks every setting; the runner calls this before it sends anything.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message says which and why.</exception>
    public void Validate()
    {
        if (Target is null)
        {
            throw new ArgumentException("A target is required.", nameof(Target));
        }

        if (Load is null)
        {
            throw new ArgumentException("A load profile is required.", nameof(Load));
        }

        if (Load.IsStaged && Duration is not null)
        {
            throw new ArgumentException("A staged run lasts as long as its stages; do not also set a duration.", nameof(Duration));
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException("The duration must be positive.", nameof(Duration));
        }

        if (Requests is { } n && n <= 0)
        {
            throw new ArgumentException("The request count must be positive.", nameof(Requests));
        }

        if (Warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("The warm-up cannot be negative.", nameof(Warmup));
        }

        if (Connections is { } c && (c < 1 || c > 100_000))
        {
            throw new ArgumentException("Connections must be between 1 and 100000.", nameof(Connections));
        }

        if (EffectiveConnections > 100_000)
        {
            throw new ArgumentException("Concurrency must be at most 100000.", nameof(Load));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The request timeout must be positive.", nameof(RequestTimeout));
        }

        if (!(TraceSampleRatio >= 0 && TraceSampleRatio <= 1))
        {
            throw new ArgumentException("The trace sample ratio must be between 0 and 1.", nameof(TraceSampleRatio));
        }

        if (LateStartTolerance < TimeSpan.Zero)
        {
            throw new ArgumentException("The late-start tolerance cannot be negative.", nameof(LateStartTolerance));
        }
    }
}
