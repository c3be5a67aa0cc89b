using Fitten.Bench.Tracing;

namespace Fitten.Bench.Measurement;

/// <summary>What a run measured. Warm-up requests are not in any figure except <see cref="WarmupRequests"/>.</summary>
public sealed record BenchResult
{
    /// <summary>The target, as its <see cref="Targets.ILoadTarget.Description"/> says.</summary>
    public required string Target { get; init; }

    /// <summary>The load profile, e.g. <c>closed, 64 workers</c>.</summary>
    public required string Load { get; init; }

    /// <summary>Connections (and workers) the run used.</summary>
    public required int Connections { get; init; }

    /// <summary>When the measured run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Length of the measured run (warm-up excluded), until the last request answered.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Measured requests that completed (successfully or not).</summary>
    public required long Requests { get; init; }

    /// <summary>Measured requests that failed.</summary>
    public required long Errors { get; init; }

    /// <summary>Requests sent during the warm-up and left out of every figure.</summary>
    public required long WarmupRequests { get; init; }

    /// <summary>
    /// Open model: requests that started later than their intended time by more than the tolerance, because no
    /// connection was free. Their waiting counts in their latency; a high number means the run needed more
    /// connections or the server fell behind. Always 0 in the closed model.
    /// </summary>
    public required long LateStarts { get; init; }

    /// <summary>Errors counted by kind (see <see cref="Targets.ErrorKinds"/>).</summary>
    public required IReadOnlyDictionary<string, long> ErrorsByKind { get; init; }

    /// <summary>Latency figures of the whole measured run.</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>The latency distribution, for a percentile chart.</summary>
    public required IReadOnlyList<PercentilePoint> Percentiles { get; init; }

    /// <summary>Throughput and latency second by second.</summary>
    public required IReadOnlyList<SecondSample> Seconds { get; init; }

    /// <summary>Per-stage figures of a staged run; empty otherwise.</summary>
    public required IReadOnlyList<StageResult> Stages { get; init; }

    /// <summary>The slowest traced requests, slowest first, to look up in the server's traces.</summary>
    public required IReadOnlyList<TraceSample> SlowestTraces { get; init; }

    /// <summary>Requests per second over the measured run.</summary>
    public double RequestsPerSecond => Duration > TimeSpan.Zero ? Requests / Duration.TotalSeconds : 0;

    /// <summary>Share of measured requests that failed, from 0 to 1.</summary>
    public double ErrorRatio => Requests > 0 ? (double)Errors / Requests : 0;
}
