using Fitten.Bench.Measurement;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Reporting;

/// <summary>A self-contained HTML report (<c>--html</c>).</summary>
public static partial class HtmlReport
{
    /// <summary>Writes the report.</summary>
    /// <param name="result">The run.</param>
    /// <param name="thresholds">Threshold outcomes to include, if any.</param>
    /// <param name="baseline">A comparison with an earlier run to include, if any.</param>
    public static string Write(BenchResult result, IReadOnlyList<ThresholdResult>? thresholds = null, BaselineComparison? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return "<!doctype html><title>fitten bench</title><pre>" + System.Net.WebUtility.HtmlEncode(MarkdownReport.Write(result, thresholds, baseline)) + "</pre>";
    }
}
