namespace Fitten.Bench.Thresholds;

/// <summary>The outcome of one threshold on one run.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="Actual">The run's figure, in the threshold's unit.</param>
/// <param name="Breached">Whether the fail condition holds.</param>
public sealed record ThresholdResult(Threshold Threshold, double Actual, bool Breached)
{
    /// <summary>For people: <c>p99&gt;5ms: 7.1ms (breached)</c>.</summary>
    public override string ToString() =>
        $"{Threshold.Expression}: {Threshold.FormatValue(Actual)} ({(Breached ? "breached" : "ok")})";
}
