using System.Globalization;
using System.Text;
using Fitten.Bench.Measurement;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Reporting;

/// <summary>The result as Markdown tables (<c>--markdown</c>), for pull-request comments and docs.</summary>
public static class MarkdownReport
{
    /// <summary>Writes the report.</summary>
    /// <param name="result">The run.</param>
    /// <param name="thresholds">Threshold outcomes to include, if any.</param>
    /// <param name="baseline">A comparison with an earlier run to include, if any.</param>
    public static string Write(BenchResult result, IReadOnlyList<ThresholdResult>? thresholds = null, BaselineComparison? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var l = result.Latency;
        sb.Append(CultureInfo.InvariantCulture, $"### fitten bench: {result.Target}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Load: {result.Load}, {Format.Count(result.Connections, "connection")}, {result.Duration.TotalSeconds:0.00} s measured.\n\n");
        sb.Append("| requests | req/s | errors | late starts | p50 | p90 | p99 | p99.9 | max |\n");
        sb.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| {Format.Number(result.Requests)} | {Format.Number(result.RequestsPerSecond)} | {Format.Number(result.Errors)} ({Format.Percent(result.ErrorRatio)}) | {Format.Number(result.LateStarts)} | {Format.Latency(l.P50)} | {Format.Latency(l.P90)} | {Format.Latency(l.P99)} | {Format.Latency(l.P999)} | {Format.Latency(l.Max)} |\n");
        if (result.ErrorsByKind.Count > 0)
        {
            sb.Append("\n| error | count |\n|---|---:|\n");
            foreach (var (kind, count) in result.ErrorsByKind)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {kind} | {Format.Number(count)} |\n");
            }
        }

        if (result.Stages.Count > 0)
        {
            sb.Append("\n| stage | req/s | p50 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (var s in result.Stages)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {s.Stage} | {Format.Number(s.RequestsPerSecond)} | {Format.Latency(s.Latency.P50)} | {Format.Latency(s.Latency.P99)} | {Format.Latency(s.Latency.Max)} | {Format.Number(s.Errors)} |\n");
            }
        }

        if (baseline is not null)
        {
            sb.Append("\n| figure | baseline | now | change |\n|---|---:|---:|---:|\n");
            foreach (var f in baseline.Figures)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {f.Name} | {BaselineComparison.FormatValue(f, f.Baseline)} | {BaselineComparison.FormatValue(f, f.Current)} | {Format.Change(f.Change)}{(f.IsWorse && f.Change != 0 ? " ⚠" : string.Empty)} |\n");
            }
        }

        if (result.SlowestTraces.Count > 0)
        {
            sb.Append("\n| slowest traced request | latency |\n|---|---:|\n");
            foreach (var t in result.SlowestTraces)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| `{t.TraceId}` | {Format.Latency(t.Latency)} |\n");
            }
        }

        if (thresholds is { Count: > 0 })
        {
            sb.Append('\n');
            foreach (var t in thresholds)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- {(t.Breached ? "❌" : "✅")} `{t.Threshold.Expression}`: {t.Threshold.FormatValue(t.Actual)}\n");
            }
        }

        return sb.ToString();
    }
}
