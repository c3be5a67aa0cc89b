using Fitten.Bench.Measurement;

namespace Fitten.Bench.Reporting;

/// <summary>A run compared figure by figure with an earlier one (<c>--baseline FILE.json</c>).</summary>
public sealed class BaselineComparison
{
    private BaselineComparison(IReadOnlyList<FigureChange> figures) => Figures = figures;

    /// <summary>The compared figures: rps, p50, p90, p99, p99.9, max, error rate.</summary>
    public IReadOnlyList<FigureChange> Figures { get; }

    /// <summary>Compares a result with baseline figures.</summary>
    /// <param name="baseline">The earlier run.</param>
    /// <param name="current">This run.</param>
    public static BaselineComparison Compare(BaselineFigures baseline, BenchResult current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var now = BaselineFigures.From(current);
        return new BaselineComparison(
        [
            new FigureChange("rps", baseline.Rps, now.Rps, HigherIsBetter: true),
            new FigureChange("p50", baseline.P50, now.P50, HigherIsBetter: false),
            new FigureChange("p90", baseline.P90, now.P90, HigherIsBetter: false),
            new FigureChange("p99", baseline.P99, now.P99, HigherIsBetter: false),
            new FigureChange("p99.9", baseline.P999, now.P999, HigherIsBetter: false),
            new FigureChange("max", baseline.Max, now.Max, HigherIsBetter: false),
            new FigureChange("errors", baseline.ErrorRatio, now.ErrorRatio, HigherIsBetter: false),
        ]);
    }

    /// <summary>Formats a figure's value for people.</summary>
    /// <param name="figure">The figure.</param>
    /// <param name="value">Its baseline or current value.</param>
    public static string FormatValue(FigureChange figure, double value)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.IsLatency ? Format.Latency(TimeSpan.FromMicroseconds(value))
            : figure.Name == "errors" ? Format.Percent(value)
            : Format.Number(value);
    }
}
