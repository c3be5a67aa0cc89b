using System.Globalization;
using Fitten.Bench.Load;
using Fitten.Bench.Measurement;

namespace Fitten.Bench.Thresholds;

/// <summary>
/// A CI condition that fails a run when it holds, written as on the command line:
/// <c>p99&gt;5ms</c>, <c>max&gt;=1s</c>, <c>errors&gt;0.1%</c>, <c>errors&gt;0</c>, <c>rps&lt;10000</c>, <c>late_starts&gt;1%</c>.
/// </summary>
/// <param name="Expression">The text it was parsed from.</param>
/// <param name="Metric">The figure it looks at.</param>
/// <param name="Operator">One of <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>.</param>
/// <param name="Limit">The limit: microseconds for latencies, a count, a rate, or a ratio (0–1) when <paramref name="IsPercentage"/>.</param>
/// <param name="IsPercentage">Whether the limit is a share of requests.</param>
public sealed record Threshold(string Expression, ThresholdMetric Metric, string Operator, double Limit, bool IsPercentage)
{
    /// <summary>Parses a threshold expression.</summary>
    /// <param name="expression">For example <c>p99&gt;5ms</c> or <c>errors&gt;0.1%</c>.</param>
    /// <exception cref="FormatException">The expression is not valid; the message says what is expected.</exception>
    public static Threshold Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Replace(" ", string.Empty, StringComparison.Ordinal);
        var opIndex = text.IndexOfAny(['>', '<']);
        if (opIndex <= 0)
        {
            throw new FormatException($"threshold '{expression}' is not METRIC>LIMIT or METRIC<LIMIT, e.g. 'p99>5ms' or 'errors>0.1%'");
        }

        var op = opIndex + 1 < text.Length && text[opIndex + 1] == '=' ? text.Substring(opIndex, 2) : text.Substring(opIndex, 1);
        var name = text[..opIndex].ToLowerInvariant();
        var limitText = text[(opIndex + op.Length)..];
        ThresholdMetric metric = name switch
        {
            "p50" => ThresholdMetric.P50,
            "p90" => ThresholdMetric.P90,
            "p99" => ThresholdMetric.P99,
            "p999" or "p99.9" => ThresholdMetric.P999,
            "max" => ThresholdMetric.Max,
            "mean" => ThresholdMetric.Mean,
            "errors" => ThresholdMetric.Errors,
            "rps" => ThresholdMetric.Rps,
            "late_starts" or "late" => ThresholdMetric.LateStarts,
            _ => throw new FormatException($"threshold '{expression}': unknown metric '{name}'; use p50, p90, p99, p999, max, mean, errors, rps or late_starts"),
        };

        var isPercentage = limitText.EndsWith('%');
        double limit;
        if (metric is ThresholdMetric.Errors or ThresholdMetric.LateStarts or ThresholdMetric.Rps)
        {
            if (isPercentage && metric == ThresholdMetric.Rps)
            {
                throw new FormatException($"threshold '{expression}': rps takes a number, not a percentage");
            }

            var number = isPercentage ? limitText[..^1] : limitText;
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out limit) || limit < 0)
            {
                throw new FormatException($"threshold '{expression}': '{limitText}' is not a non-negative number");
            }

            limit = isPercentage ? limit / 100 : limit;
        }
        else
        {
            // A bare number is milliseconds, the unit latency budgets are usually written in.
            var withUnit = limitText.Length > 0 && char.IsDigit(limitText[^1]) ? limitText + "ms" : limitText;
            if (isPercentage || !DurationParser.TryParse(withUnit, out var duration))
            {
                throw new FormatException($"threshold '{expression}': '{limitText}' is not a duration such as 5ms, 250us or 1s");
            }

            limit = duration.TotalMicroseconds;
        }

        return new Threshold(expression, metric, op, limit, isPercentage);
    }

    /// <summary>The figure this threshold compares, in its unit (microseconds, count, rate or ratio).</summary>
    /// <param name="result">The run's result.</param>
    public double ActualValue(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Metric switch
        {
            ThresholdMetric.P50 => result.Latency.P50.TotalMicroseconds,
            ThresholdMetric.P90 => result.Latency.P90.TotalMicroseconds,
            ThresholdMetric.P99 => result.Latency.P99.TotalMicroseconds,
            ThresholdMetric.P999 => result.Latency.P999.TotalMicroseconds,
            ThresholdMetric.Max => result.Latency.Max.TotalMicroseconds,
            ThresholdMetric.Mean => result.Latency.Mean.TotalMicroseconds,
            ThresholdMetric.Errors => IsPercentage ? result.ErrorRatio : result.Errors,
            ThresholdMetric.LateStarts => IsPercentage ? (result.Requests > 0 ? (double)result.LateStarts / result.Requests : 0) : result.LateStarts,
            ThresholdMetric.Rps => result.RequestsPerSecond,
            _ => throw new InvalidOperationException("unknown metric"),
        };
    }

    /// <summary>Checks the result against this threshold.</summary>
    /// <param name="result">The run's result.</param>
    public ThresholdResult Evaluate(BenchResult result)
    {
        var actual = ActualValue(result);
        var breached = Operator switch
        {
            ">" => actual > Limit,
            ">=" => actual >= Limit,
            "<" => actual < Limit,
            "<=" => actual <= Limit,
            _ => false,
        };
        return new ThresholdResult(this, actual, breached);
    }

    /// <summary>Formats a value of this threshold's metric for people: <c>5.2ms</c>, <c>0.13%</c>, <c>12000</c>.</summary>
    /// <param name="value">A value in this threshold's unit.</param>
    public string FormatValue(double value) =>
        Metric is ThresholdMetric.Errors or ThresholdMetric.LateStarts or ThresholdMetric.Rps
            ? IsPercentage ? (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%" : value.ToString("0.##", CultureInfo.InvariantCulture)
            : Reporting.Format.Latency(TimeSpan.FromMicroseconds(value));
}
