namespace Fitten.Bench.Reporting;

/// <summary>One figure compared with a baseline.</summary>
/// <param name="Name">The figure: <c>rps</c>, <c>p50</c>, …, <c>errors</c>.</param>
/// <param name="Baseline">Its value in the baseline (µs for latencies, a ratio for errors).</param>
/// <param name="Current">Its value now.</param>
/// <param name="HigherIsBetter">True for throughput, false for latency and errors.</param>
public sealed record FigureChange(string Name, double Baseline, double Current, bool HigherIsBetter)
{
    /// <summary>Relative change, (current − baseline) / baseline; NaN when the baseline is zero.</summary>
    public double Change => Baseline == 0 ? (Current == 0 ? 0 : double.NaN) : (Current - Baseline) / Baseline;

    /// <summary>Whether the figure moved in the bad direction.</summary>
    public bool IsWorse => HigherIsBetter ? Current < Baseline : Current > Baseline;

    /// <summary>Whether the figure is a latency (formatted as a duration).</summary>
    public bool IsLatency => Name.StartsWith('p') || Name == "max";
}
