namespace Fitten.Bench.Thresholds;

/// <summary>The figure a threshold looks at.</summary>
public enum ThresholdMetric
{
    /// <summary>Median latency.</summary>
    P50,

    /// <summary>90th-percentile latency.</summary>
    P90,

    /// <summary>99th-percentile latency.</summary>
    P99,

    /// <summary>99.9th-percentile latency.</summary>
    P999,

    /// <summary>Highest latency.</summary>
    Max,

    /// <summary>Mean latency.</summary>
    Mean,

    /// <summary>Errors: a count, or with <c>%</c> a share of requests.</summary>
    Errors,

    /// <summary>Requests per second.</summary>
    Rps,

    /// <summary>Late starts (open model): a count, or with <c>%</c> a share of requests.</summary>
    LateStarts,
}
