using System.Diagnostics;

namespace Fitten.Bench.Load.Internal;

/// <summary>
/// Open model: request k of the run is due at a fixed time computed from the rate (constant within a stage),
/// independent of how fast earlier requests were answered. A worker takes the next slot only when it is free;
/// if that slot's time has passed, the request starts late and the delay counts in its latency
/// (coordinated-omission correction, the wrk2 way).
/// </summary>
internal sealed class OpenPacer : Pacer
{
    private readonly Segment[] _segments;
    private long _next;

    public OpenPacer(Timeline timeline)
        : base(timeline)
    {
        var segments = new List<Segment>();
        long first = 0;
        if (timeline.MeasureStart > timeline.Start)
        {
            first = Add(segments, timeline.Start, timeline.MeasureStart, timeline.Values[0], first);
        }

        for (var i = 0; i < timeline.Values.Length; i++)
        {
            first = Add(segments, timeline.StageStarts[i], timeline.StageStarts[i + 1], timeline.Values[i], first);
        }

        _segments = [.. segments];
    }

    public override PaceDecision Next(int worker, long now)
    {
        var k = Interlocked.Increment(ref _next) - 1;
        foreach (var s in _segments)
        {
            if (k < s.First + s.Count)
            {
                var due = s.Start + (long)((k - s.First) * s.TicksPerRequest);
                return due >= Timeline.End ? PaceDecision.Stop : new PaceDecision(PaceAction.Go, due);
            }
        }

        return PaceDecision.Stop;
    }

    private static long Add(List<Segment> segments, long start, long end, double rate, long first)
    {
        if (rate <= 0 || end <= start)
        {
            return first;
        }

        // An unbounded segment (run ended by a request count) holds as many slots as a long can count.
        var count = end == long.MaxValue
            ? long.MaxValue - first
            : (long)Math.Ceiling(((double)(end - start) / Stopwatch.Frequency * rate) - 1e-9);
        segments.Add(new Segment(start, Stopwatch.Frequency / rate, first, count));
        return first + count;
    }

    private readonly record struct Segment(long Start, double TicksPerRequest, long First, long Count);
}
