using Fitten.Bench.Tests.Testing;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Tests.Thresholds;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99>5ms", ThresholdMetric.P99, ">", 5_000, false)]
    [InlineData("p99.9 >= 1s", ThresholdMetric.P999, ">=", 1_000_000, false)]
    [InlineData("max>250us", ThresholdMetric.Max, ">", 250, false)]
    [InlineData("p50>2", ThresholdMetric.P50, ">", 2_000, false)]
    [InlineData("errors>0.1%", ThresholdMetric.Errors, ">", 0.001, true)]
    [InlineData("errors>0", ThresholdMetric.Errors, ">", 0, false)]
    [InlineData("rps<1000", ThresholdMetric.Rps, "<", 1000, false)]
    [InlineData("late_starts>1%", ThresholdMetric.LateStarts, ">", 0.01, true)]
    public void Parse_ValidExpression_ReadsMetricOperatorAndLimit(string text, ThresholdMetric metric, string op, double limit, bool percentage)
    {
        var t = Threshold.Parse(text);

        Assert.Equal(metric, t.Metric);
        Assert.Equal(op, t.Operator);
        Assert.Equal(limit, t.Limit, 9);
        Assert.Equal(percentage, t.IsPercentage);
    }

    [Theory]
    [InlineData("p99")]
    [InlineData("p42>5ms")]
    [InlineData("p99>fast")]
    [InlineData("rps<5%")]
    [InlineData("errors>-1")]
    [InlineData(">5ms")]
    public void Parse_InvalidExpression_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => Threshold.Parse(text));

    [Theory]
    [InlineData("p99>5ms", false)]
    [InlineData("p99>4ms", true)]
    [InlineData("p99>=5ms", true)]
    [InlineData("errors>0.1%", true)]
    [InlineData("errors>0.5%", false)]
    [InlineData("errors>20", true)]
    [InlineData("rps<1000", false)]
    [InlineData("rps<2000", true)]
    public void Evaluate_Result_BreachedWhenConditionHolds(string text, bool breached)
    {
        // 10 000 requests in 10 s = 1000 req/s; 30 errors = 0.3%; p99 5 ms.
        var result = Results.Create(requests: 10_000, errors: 30, seconds: 10, p99Ms: 5);

        Assert.Equal(breached, Threshold.Parse(text).Evaluate(result).Breached);
    }
}
