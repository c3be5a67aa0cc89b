using System.Text.Json;
using Fitten.Bench.Reporting;
using Fitten.Bench.Tests.Testing;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Tests.Reporting;

public sealed class ReportTests
{
    [Fact]
    public void JsonReportWrite_Result_HasDocumentedFieldsAndReadsBack()
    {
        var result = Results.Create(requests: 5_000, errors: 5, seconds: 5, p50Ms: 1, p99Ms: 4, maxMs: 9);

        var json = JsonReport.Write(result, [Threshold.Parse("p99>5ms").Evaluate(result)]);
        using var doc = JsonDocument.Parse(json);
        var figures = JsonReport.ReadFigures(json);

        Assert.Equal(5_000, doc.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(4_000, doc.RootElement.GetProperty("latency_us").GetProperty("p99").GetDouble());
        Assert.Equal(5, doc.RootElement.GetProperty("errors_by_kind").GetProperty("http 503").GetInt64());
        Assert.False(doc.RootElement.GetProperty("thresholds")[0].GetProperty("breached").GetBoolean());
        Assert.Equal(1_000, figures.Rps);
        Assert.Equal(9_000, figures.Max);
    }

    [Fact]
    public void JsonReportReadFigures_NotAReport_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => JsonReport.ReadFigures("{\"hello\":1}"));

    [Fact]
    public void BaselineCompare_SlowerRun_MarksLatencyWorseAndRpsWorse()
    {
        var before = BaselineFigures.From(Results.Create(requests: 10_000, p99Ms: 5));
        var now = Results.Create(requests: 8_000, p99Ms: 10);

        var comparison = BaselineComparison.Compare(before, now);

        var rps = comparison.Figures.Single(f => f.Name == "rps");
        var p99 = comparison.Figures.Single(f => f.Name == "p99");
        Assert.True(rps.IsWorse);
        Assert.Equal(-0.2, rps.Change, 6);
        Assert.True(p99.IsWorse);
        Assert.Equal(1.0, p99.Change, 6);
        Assert.Equal("+100%", Format.Change(p99.Change));
    }

    [Fact]
    public void MarkdownReportWrite_WithBaselineAndThresholds_HasTables()
    {
        var result = Results.Create();
        var baseline = BaselineComparison.Compare(BaselineFigures.From(Results.Create(p99Ms: 2)), result);

        var md = MarkdownReport.Write(result, [Threshold.Parse("p99>1ms").Evaluate(result)], baseline);

        Assert.Contains("| requests | req/s | errors |", md, StringComparison.Ordinal);
        Assert.Contains("| p99 | 2.00ms | 5.00ms | +150% ⚠ |", md, StringComparison.Ordinal);
        Assert.Contains("❌ `p99>1ms`: 5.00ms", md, StringComparison.Ordinal);
        Assert.Contains("0af7651916cd43dd8448eb211c80319c", md, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlReportWrite_Result_SelfContainedWithEmbeddedData()
    {
        var html = HtmlReport.Write(Results.Create());

        Assert.Contains("<svg id=\"latency-over-time\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"percentiles\"", html, StringComparison.Ordinal);
        Assert.Contains("\"seconds\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlReportWrite_TargetWithMarkup_EscapedInTablesAndData()
    {
        var html = HtmlReport.Write(Results.Create() with { Target = "GET http://h/</script><img src=x onerror=alert(1)>" });

        Assert.DoesNotContain("</script><img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(87, "87µs")]
    [InlineData(1_250, "1.25ms")]
    [InlineData(48_300, "48.3ms")]
    [InlineData(1_020_000, "1.02s")]
    public void FormatLatency_Micros_ThreeSignificantFigures(double micros, string expected) =>
        Assert.Equal(expected, Format.Latency(TimeSpan.FromMicroseconds(micros)));
}
