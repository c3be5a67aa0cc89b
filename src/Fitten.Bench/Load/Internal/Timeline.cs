using System.Diagnostics;

namespace Fitten.Bench.Load.Internal;

/// <summary>
/// The run's clock plan in Stopwatch ticks: when it starts, when measuring starts (after the warm-up), where each
/// stage starts, and when it ends (<see cref="long.MaxValue"/> when only a request count ends it).
/// </summary>
internal sealed class Timeline
{
    public Timeline(long start, TimeSpan warmup, LoadProfile profile, TimeSpan? measuredDuration)
    {
        Start = start;
        MeasureStart = start + ToTicks(warmup);
        var stages = profile.Stages;
        Values = new double[stages.Count];
        StageStarts = new long[stages.Count + 1];
        var at = MeasureStart;
        for (var i = 0; i < stages.Count; i++)
        {
            Values[i] = stages[i].Value;
            StageStarts[i] = at;
            at = profile.IsStaged ? at + ToTicks(stages[i].Duration) : at;
        }

        End = profile.IsStaged ? at : measuredDuration is { } d ? MeasureStart + ToTicks(d) : long.MaxValue;
        StageStarts[stages.Count] = End;
    }

    public long Start { get; }

    public long MeasureStart { get; }

    public long End { get; }

    /// <summary>Start of each stage, plus <see cref="End"/> as the last entry.</summary>
    public long[] StageStarts { get; }

    /// <summary>Rate or concurrency of each stage.</summary>
    public double[] Values { get; }

    /// <summary>The stage running at <paramref name="now"/>; the warm-up runs at the first stage's value.</summary>
    public int StageAt(long now)
    {
        for (var i = Values.Length - 1; i > 0; i--)
        {
            if (now >= StageStarts[i])
            {
                return i;
            }
        }

        return 0;
    }

    public static long ToTicks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);
}
