using Fitten.Bench.Targets;
using Fitten.Bench.Tracing;
using HdrHistogram;

namespace Fitten.Bench.Measurement.Internal;

/// <summary>
/// One worker's measurements. Only its worker writes to it, so recording is plain field updates: no locks or
/// interlocked operations per request. It keeps one histogram for the current second and hands it to the
/// shared <see cref="SecondSeries"/> when the second changes (and at the end).
/// </summary>
internal sealed class WorkerRecorder
{
    /// <summary>How many of the slowest traced requests each worker keeps; the report shows the overall top ones.</summary>
    public const int SlowestTracesKept = 10;

    private readonly SecondSeries _series;
    private readonly long _measureStart;
    private readonly long _ticksPerSecond = System.Diagnostics.Stopwatch.Frequency;
    private readonly LongHistogram _interval = LatencyHistograms.CreatePrecise();
    private readonly Dictionary<string, long> _errorsByKind = new(StringComparer.Ordinal);
    private readonly (long Micros, TraceContext Trace, int Second)[] _slowest = new (long, TraceContext, int)[SlowestTracesKept];
    private int _slowestCount;
    private int _second = -1;
    private long _secondRequests;
    private long _secondErrors;

    // Read by the live display from another thread; written only here.
    private long _requests;
    private long _errors;
    private long _lateStarts;
    private long _warmupRequests;

    public WorkerRecorder(SecondSeries series, long measureStart)
    {
        _series = series;
        _measureStart = measureStart;
    }

    public long Requests => Volatile.Read(ref _requests);

    public long Errors => Volatile.Read(ref _errors);

    public long LateStarts => Volatile.Read(ref _lateStarts);

    public long WarmupRequests => Volatile.Read(ref _warmupRequests);

    public IReadOnlyDictionary<string, long> ErrorsByKind => _errorsByKind;

    public void RecordWarmup() => Volatile.Write(ref _warmupRequests, _warmupRequests + 1);

    /// <summary>Records one measured request.</summary>
    /// <param name="outcome">How it ended.</param>
    /// <param name="latencyStart">Its intended send time (open) or actual send time (closed).</param>
    /// <param name="end">When it ended.</param>
    /// <param name="late">Whether it started later than the schedule allowed (open model).</param>
    /// <param name="trace">Its trace context, if sampled.</param>
    public void Record(RequestOutcome outcome, long latencyStart, long end, bool late, TraceContext trace)
    {
        var second = (int)(Math.Max(0, end - _measureStart) / _ticksPerSecond);
        if (second != _second)
        {
            FlushSecond();
            _second = second;
        }

        _secondRequests++;
        Volatile.Write(ref _requests, _requests + 1);
        if (late)
        {
            Volatile.Write(ref _lateStarts, _lateStarts + 1);
        }

        if (!outcome.IsSuccess)
        {
            _secondErrors++;
            Volatile.Write(ref _errors, _errors + 1);
            var kind = outcome.ErrorKind!;
            _errorsByKind[kind] = _errorsByKind.GetValueOrDefault(kind) + 1;
        }

        if (outcome.HasResponse)
        {
            var micros = LatencyHistograms.ToMicros(end - latencyStart);
            _interval.RecordValue(micros);
            if (!trace.IsNone)
            {
                KeepIfSlow(micros, trace, second);
            }
        }
    }

    /// <summary>Hands the current second to the shared series; called on a new second and once at the end.</summary>
    public void FlushSecond()
    {
        if (_second >= 0 && (_secondRequests > 0 || _interval.TotalCount > 0))
        {
            _series.Flush(_second, _interval, _secondRequests, _secondErrors);
            _interval.Reset();
        }

        _secondRequests = 0;
        _secondErrors = 0;
    }

    public void CopySlowestTo(List<(long Micros, TraceContext Trace, int Second)> into)
    {
        for (var i = 0; i < _slowestCount; i++)
        {
            into.Add(_slowest[i]);
        }
    }

    private void KeepIfSlow(long micros, TraceContext trace, int second)
    {
        if (_slowestCount < _slowest.Length)
        {
            _slowest[_slowestCount++] = (micros, trace, second);
            return;
        }

        var min = 0;
        for (var i = 1; i < _slowest.Length; i++)
        {
            if (_slowest[i].Micros < _slowest[min].Micros)
            {
                min = i;
            }
        }

        if (micros > _slowest[min].Micros)
        {
            _slowest[min] = (micros, trace, second);
        }
    }
}
