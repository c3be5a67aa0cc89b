using System.Globalization;

namespace Fitten.Bench.Reporting;

/// <summary>How every report writes numbers for people, so the table, Markdown and HTML agree.</summary>
public static class Format
{
    /// <summary>A latency with a unit that keeps 3 significant figures: <c>87µs</c>, <c>1.25ms</c>, <c>1.02s</c>.</summary>
    /// <param name="value">The latency.</param>
    public static string Latency(TimeSpan value)
    {
        var us = value.TotalMicroseconds;
        return us switch
        {
            < 1_000 => us.ToString("0", CultureInfo.InvariantCulture) + "µs",
            < 10_000 => (us / 1_000).ToString("0.00", CultureInfo.InvariantCulture) + "ms",
            < 100_000 => (us / 1_000).ToString("0.0", CultureInfo.InvariantCulture) + "ms",
            < 1_000_000 => (us / 1_000).ToString("0", CultureInfo.InvariantCulture) + "ms",
            _ => (us / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + "s",
        };
    }

    /// <summary>A rate or count with thousands separators: <c>48,213</c>.</summary>
    /// <param name="value">The number.</param>
    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A count with its noun, singular or plural: <c>1 connection</c>, <c>64 connections</c>.</summary>
    /// <param name="count">The count.</param>
    /// <param name="noun">The singular noun.</param>
    public static string Count(long count, string noun) =>
        count.ToString("#,0", CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    /// <summary>A ratio as a percentage: <c>0.13%</c>.</summary>
    /// <param name="ratio">From 0 to 1.</param>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A signed change: <c>+4.2%</c>, <c>-12%</c>.</summary>
    /// <param name="change">The relative change (0.042 for +4.2%), or NaN when there is no base.</param>
    public static string Change(double change) =>
        double.IsNaN(change) || double.IsInfinity(change) ? "n/a" : (change >= 0 ? "+" : string.Empty) + (change * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
