using System.Diagnostics;
using Fitten.Bench.Load;
using Fitten.Bench.Measurement;
using Fitten.Bench.Tracing;
using HdrHistogram;

namespace Fitten.Bench.Running;

// Turning the workers' recorders into a BenchResult, once, after the run.
public sealed partial class BenchRun
{
    /// <summary>Number of slowest traced requests a result lists.</summary>
    private const int SlowestTracesReported = 10;

    private BenchResult BuildResult(long finished)
    {
        var errorsByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var slowest = new List<(long Micros, TraceContext Trace, int Second)>();
        long requests = 0, errors = 0, late = 0, warmup = 0;
        foreach (var w in _workers)
        {
            var r = w.Recorder;
            r.FlushSecond();
            requests += r.Requests;
            errors += r.Errors;
            late += r.LateStarts;
            warmup += r.WarmupRequests;
            foreach (var (kind, count) in r.ErrorsByKind)
            {
                errorsByKind[kind] = errorsByKind.GetValueOrDefault(kind) + count;
            }

            r.CopySlowestTo(slowest);
        }

        if (_scenario.EffectiveDuration is { } planned)
        {
            _series.FoldTailInto((int)Math.Ceiling(planned.TotalSeconds));
        }

        slowest.Sort(static (a, b) => b.Micros.CompareTo(a.Micros));
        var traces = new List<TraceSample>();
        for (var i = 0; i < Math.Min(SlowestTracesReported, slowest.Count); i++)
        {
            traces.Add(new TraceSample(slowest[i].Trace.TraceId, TimeSpan.FromMicroseconds(slowest[i].Micros), slowest[i].Second));
        }

        var total = _series.CopyTotal();
        var duration = finished > _timeline.MeasureStart ? Stopwatch.GetElapsedTime(_timeline.MeasureStart, finished) : TimeSpan.Zero;
        return new BenchResult
        {
            Target = _scenario.Target.Description,
            Load = _scenario.Load.ToString(),
            Connections = _workers.Length,
            StartedAt = _startedAt,
            Duration = duration,
            Requests = requests,
            Errors = errors,
            WarmupRequests = warmup,
            LateStarts = late,
            ErrorsByKind = errorsByKind,
            Latency = LatencySummary.From(total),
            Percentiles = PercentileCurve(total),
            Seconds = _series.ToSamples(),
            Stages = StageResults(),
            SlowestTraces = traces,
        };
    }

    // Percentiles spaced evenly on a log scale of "1 in N" (90, 99, 99.9, ...), as HdrHistogram plots them,
    // stopping where the run has too few requests to tell one percentile from the next.
    private static List<PercentilePoint> PercentileCurve(LongHistogram histogram)
    {
        var points = new List<PercentilePoint>();
        if (histogram.TotalCount == 0)
        {
            return points;
        }

        for (var i = 0; i <= 24; i++)
        {
            var tail = Math.Pow(10, -i / 4d);
            if (i > 0 && tail * histogram.TotalCount < 1)
            {
                break;
            }

            var percentile = 100 * (1 - tail);
            points.Add(new PercentilePoint(percentile, TimeSpan.FromMicroseconds(histogram.GetValueAtPercentile(percentile))));
        }

        points.Add(new PercentilePoint(100, TimeSpan.FromMicroseconds(histogram.GetMaxValue())));
        return points;
    }

    private List<StageResult> StageResults()
    {
        var results = new List<StageResult>();
        if (!_scenario.Load.IsStaged)
        {
            return results;
        }

        var stages = _scenario.Load.Stages;
        var from = TimeSpan.Zero;
        for (var i = 0; i < stages.Count; i++)
        {
            var to = from + stages[i].Duration;
            var (latency, requests, errors) = _series.Range((int)Math.Round(from.TotalSeconds), (int)Math.Round(to.TotalSeconds));
            var seconds = stages[i].Duration.TotalSeconds;
            results.Add(new StageResult(i, stages[i].ToString(_scenario.Load.Model), requests, errors, seconds > 0 ? requests / seconds : 0, LatencySummary.From(latency)));
            from = to;
        }

        return results;
    }
}
