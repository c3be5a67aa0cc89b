using System.Globalization;
using System.Net;
using System.Text;
using Fitten.Bench.Measurement;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Reporting;

/// <summary>
/// A self-contained HTML report (<c>--html</c>): summary tables rendered here, and charts (throughput and
/// latency over time, latency by percentile) drawn as inline SVG by a small script in the page from the JSON
/// report embedded in it. Nothing is fetched when the page is viewed: no CDN, no fonts, no network.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>Writes the report.</summary>
    /// <param name="result">The run.</param>
    /// <param name="thresholds">Threshold outcomes to include, if any.</param>
    /// <param name="baseline">A comparison with an earlier run to include, if any.</param>
    public static string Write(BenchResult result, IReadOnlyList<ThresholdResult>? thresholds = null, BaselineComparison? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(result);

        // The JSON writer escapes '<', '>' and '&', so the data cannot close the script element it sits in.
        var json = JsonReport.Write(result, thresholds, baseline);
        var tables = new StringBuilder();
        WriteSummary(tables, result);
        WriteThresholds(tables, thresholds);
        WriteBaseline(tables, baseline);
        WriteErrorsAndTraces(tables, result);
        return Template
            .Replace("{{TITLE}}", Encode("fitten bench: " + result.Target), StringComparison.Ordinal)
            .Replace("{{TABLES}}", tables.ToString(), StringComparison.Ordinal)
            .Replace("{{SCRIPT}}", Script, StringComparison.Ordinal)
            .Replace("{{DATA}}", json, StringComparison.Ordinal);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void WriteSummary(StringBuilder sb, BenchResult r)
    {
        var l = r.Latency;
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{Encode(r.Load)}, {Format.Count(r.Connections, "connection")}, {r.Duration.TotalSeconds:0.00} s measured from {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; {Format.Number(r.WarmupRequests)} warm-up requests excluded.</p>\n");
        sb.Append("<table><tr><th>requests</th><th>req/s</th><th>errors</th><th>late starts</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Format.Number(r.Requests)}</td><td>{Format.Number(r.RequestsPerSecond)}</td><td>{Format.Number(r.Errors)} ({Format.Percent(r.ErrorRatio)})</td><td>{Format.Number(r.LateStarts)}</td><td>{Format.Latency(l.P50)}</td><td>{Format.Latency(l.P90)}</td><td>{Format.Latency(l.P99)}</td><td>{Format.Latency(l.P999)}</td><td>{Format.Latency(l.Max)}</td></tr></table>\n");
        if (r.Stages.Count > 0)
        {
            sb.Append("<h2>Stages</h2><table><tr><th>stage</th><th>req/s</th><th>p50</th><th>p99</th><th>max</th><th>errors</th></tr>\n");
            foreach (var s in r.Stages)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(s.Stage)}</td><td>{Format.Number(s.RequestsPerSecond)}</td><td>{Format.Latency(s.Latency.P50)}</td><td>{Format.Latency(s.Latency.P99)}</td><td>{Format.Latency(s.Latency.Max)}</td><td>{Format.Number(s.Errors)}</td></tr>\n");
            }

            sb.Append("</table>\n");
        }
    }

    private static void WriteThresholds(StringBuilder sb, IReadOnlyList<ThresholdResult>? thresholds)
    {
        if (thresholds is not { Count: > 0 })
        {
            return;
        }

        sb.Append("<h2>Thresholds</h2><ul class=\"thresholds\">\n");
        foreach (var t in thresholds)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li class=\"{(t.Breached ? "bad" : "good")}\">{(t.Breached ? "breached" : "ok")}: <code>{Encode(t.Threshold.Expression)}</code>, actual {Encode(t.Threshold.FormatValue(t.Actual))}</li>\n");
        }

        sb.Append("</ul>\n");
    }

    private static void WriteBaseline(StringBuilder sb, BaselineComparison? baseline)
    {
        if (baseline is null)
        {
            return;
        }

        sb.Append("<h2>Compared with baseline</h2><table><tr><th>figure</th><th>baseline</th><th>now</th><th>change</th></tr>\n");
        foreach (var f in baseline.Figures)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{f.Name}</td><td>{Encode(BaselineComparison.FormatValue(f, f.Baseline))}</td><td>{Encode(BaselineComparison.FormatValue(f, f.Current))}</td><td class=\"{(f.IsWorse && f.Change != 0 ? "bad" : "good")}\">{Format.Change(f.Change)}</td></tr>\n");
        }

        sb.Append("</table>\n");
    }

    private static void WriteErrorsAndTraces(StringBuilder sb, BenchResult r)
    {
        if (r.ErrorsByKind.Count > 0)
        {
            sb.Append("<h2>Errors by kind</h2><table><tr><th>kind</th><th>count</th></tr>\n");
            foreach (var (kind, count) in r.ErrorsByKind)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(kind)}</td><td>{Format.Number(count)}</td></tr>\n");
            }

            sb.Append("</table>\n");
        }

        if (r.SlowestTraces.Count > 0)
        {
            sb.Append("<h2>Slowest traced requests</h2><p class=\"meta\">Search the server's traces for these trace ids.</p><table><tr><th>trace id</th><th>latency</th><th>second</th></tr>\n");
            foreach (var t in r.SlowestTraces)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{t.TraceId}</code></td><td>{Format.Latency(t.Latency)}</td><td>{t.Second}</td></tr>\n");
            }

            sb.Append("</table>\n");
        }
    }
}
