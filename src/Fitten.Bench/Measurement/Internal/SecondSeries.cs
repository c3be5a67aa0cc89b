using HdrHistogram;

namespace Fitten.Bench.Measurement.Internal;

/// <summary>
/// The merge point of all workers' histograms: one coarse histogram and request/error counts per second of the
/// measured run, plus the precise whole-run histogram. Workers flush into it once per second each (under a
/// lock, so at most workers × seconds lock entries per run), never per request.
/// </summary>
internal sealed class SecondSeries
{
    private readonly Lock _gate = new();
    private readonly List<Bucket> _buckets = [];
    private readonly LongHistogram _total = LatencyHistograms.CreatePrecise();

    public void Flush(int second, LongHistogram interval, long requests, long errors)
    {
        lock (_gate)
        {
            while (_buckets.Count <= second)
            {
                _buckets.Add(new Bucket());
            }

            var bucket = _buckets[second];
            bucket.Requests += requests;
            bucket.Errors += errors;
            if (interval.TotalCount > 0)
            {
                bucket.Latency ??= LatencyHistograms.CreateCoarse();
                bucket.Latency.Add(interval);
                _total.Add(interval);
            }
        }
    }

    /// <summary>
    /// Merges buckets from <paramref name="seconds"/> on into the one before: the answers to requests still in
    /// flight when a timed run ended land a few milliseconds past its last second, and a bucket of their own would
    /// read as a throughput collapse at the end of every chart.
    /// </summary>
    public void FoldTailInto(int seconds)
    {
        lock (_gate)
        {
            while (seconds > 0 && _buckets.Count > seconds)
            {
                var tail = _buckets[^1];
                _buckets.RemoveAt(_buckets.Count - 1);
                var into = _buckets[^1];
                into.Requests += tail.Requests;
                into.Errors += tail.Errors;
                if (tail.Latency is { } h)
                {
                    into.Latency ??= LatencyHistograms.CreateCoarse();
                    into.Latency.Add(h);
                }
            }
        }
    }

    /// <summary>p99 of everything flushed so far, for the live display (lags by up to a second).</summary>
    public long P99SoFarMicros()
    {
        lock (_gate)
        {
            return _total.TotalCount == 0 ? 0 : _total.GetValueAtPercentile(99);
        }
    }

    public LongHistogram CopyTotal()
    {
        lock (_gate)
        {
            return (LongHistogram)_total.Copy();
        }
    }

    public IReadOnlyList<SecondSample> ToSamples()
    {
        lock (_gate)
        {
            var samples = new SecondSample[_buckets.Count];
            for (var i = 0; i < _buckets.Count; i++)
            {
                var b = _buckets[i];
                var h = b.Latency;
                samples[i] = h is null
                    ? new SecondSample(i, b.Requests, b.Errors, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)
                    : new SecondSample(
                        i,
                        b.Requests,
                        b.Errors,
                        LatencyHistograms.MicrosToTimeSpan(h.GetValueAtPercentile(50)),
                        LatencyHistograms.MicrosToTimeSpan(h.GetValueAtPercentile(99)),
                        LatencyHistograms.MicrosToTimeSpan(h.GetMaxValue()));
            }

            return samples;
        }
    }

    /// <summary>Merges the buckets of seconds [from, to) into one histogram, for per-stage figures.</summary>
    public (HistogramBase Latency, long Requests, long Errors) Range(int from, int to)
    {
        lock (_gate)
        {
            var merged = LatencyHistograms.CreateCoarse();
            long requests = 0, errors = 0;
            for (var i = Math.Max(0, from); i < Math.Min(to, _buckets.Count); i++)
            {
                requests += _buckets[i].Requests;
                errors += _buckets[i].Errors;
                if (_buckets[i].Latency is { } h)
                {
                    merged.Add(h);
                }
            }

            return (merged, requests, errors);
        }
    }

    private sealed class Bucket
    {
        public IntHistogram? Latency;
        public long Requests;
        public long Errors;
    }
}
