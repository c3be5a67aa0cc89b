using System.Diagnostics;
using HdrHistogram;

namespace Fitten.Benchmarks.Load;

/// <summary>
/// The state shared by the callers of one closed-loop run: the phase they are in, a call counter each, and a
/// latency histogram each (merged at the end, so recording needs no lock and no shared cache line).
/// </summary>
internal sealed class LoadRun
{
    public const int Warmup = 0;
    public const int Measure = 1;
    public const int Stop = 2;

    // Counters sit 128 bytes apart so callers on different cores never share a cache line.
    private const int Stride = 16;

    // 10 s in nanoseconds: any slower call is recorded as 10 s (the run is broken anyway) instead of throwing.
    private const long HighestNanoseconds = 10_000_000_000;

    private readonly long[] _completed;
    private readonly LongHistogram[] _histograms;
    private int _phase;

    public LoadRun(int callers)
    {
        _completed = new long[callers * Stride];
        _histograms = new LongHistogram[callers];
        for (int i = 0; i < callers; i++)
        {
            _histograms[i] = new LongHistogram(1, HighestNanoseconds, 3);
        }
    }

    public int Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    /// <summary>Calls completed so far by every caller, in any phase (for bytes per call).</summary>
    public long Completed
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _completed.Length; i += Stride)
            {
                sum += Volatile.Read(ref _completed[i]);
            }

            return sum;
        }
    }

    /// <summary>Counts one call by <paramref name="caller"/> and, in the measured phase, records its latency.</summary>
    public void Record(int caller, long startTimestamp, long endTimestamp)
    {
        ref long completed = ref _completed[caller * Stride];
        Volatile.Write(ref completed, completed + 1);
        if (Phase == Measure)
        {
            long nanoseconds = (long)((endTimestamp - startTimestamp) * (1_000_000_000.0 / Stopwatch.Frequency));
            _histograms[caller].RecordValue(Math.Clamp(nanoseconds, 1, HighestNanoseconds));
        }
    }

    /// <summary>All callers' measured latencies in one histogram.</summary>
    public LongHistogram Merge()
    {
        var merged = new LongHistogram(1, HighestNanoseconds, 3);
        foreach (var histogram in _histograms)
        {
            merged.Add(histogram);
        }

        return merged;
    }
}
