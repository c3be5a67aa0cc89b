namespace Fitten.Resilience;

/// <summary>
/// Counts events of a few kinds over the last <see cref="WindowSeconds"/> seconds, in one-second buckets, lock-free:
/// an event costs a clock read and an interlocked increment on a counter of the current processor's own (striped
/// and padded to a cache line each), so callers on different cores never contend for one counter; reading sums the
/// stripes. What the retry budget and the circuit breakers read "recent calls" from, on every call.
/// </summary>
internal sealed class SlidingCounts
{
    /// <summary>The window: long enough to smooth bursts, short enough to follow load.</summary>
    public const int WindowSeconds = 10;

    private readonly Bucket[] _buckets = new Bucket[WindowSeconds];

    public SlidingCounts(int kinds)
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket(kinds);
        }
    }

    /// <summary>The current second, as the buckets count it.</summary>
    public static long Now => Environment.TickCount64 / 1000;

    /// <summary>Counts one event of <paramref name="kind"/> in the current second.</summary>
    public void Add(int kind) => Add(kind, Now);

    public void Add(int kind, long second)
    {
        var bucket = _buckets[second % WindowSeconds];
        bucket.Roll(second);
        bucket.Add(kind);
    }

    /// <summary>Events of <paramref name="kind"/> over the window ending in <paramref name="second"/>.</summary>
    public long Sum(int kind, long second)
    {
        long sum = 0;
        foreach (var bucket in _buckets)
        {
            if (bucket.IsWithin(second))
            {
                sum += bucket.Count(kind);
            }
        }

        return sum;
    }

    /// <summary>Forgets everything counted so far (a breaker that closed starts from an empty window).</summary>
    public void Clear()
    {
        foreach (var bucket in _buckets)
        {
            bucket.Clear();
        }
    }

    /// <summary>Stripes per bucket: a power of two, at least the processors there are (up to 16).</summary>
    private static readonly int Stripes = (int)Math.Min(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    /// <summary>One second's counts; cleared when its slot comes round again.</summary>
    private sealed class Bucket(int kinds)
    {
        // Each stripe's counters start on a cache line of their own (8 longs), so cores do not share lines.
        private readonly int _stride = (kinds + 7) & ~7;
        private readonly long[] _counts = new long[((kinds + 7) & ~7) * Stripes];
        private long _second = -WindowSeconds;

        public bool IsWithin(long now) => now - Volatile.Read(ref _second) < WindowSeconds;

        public long Count(int kind)
        {
            long sum = 0;
            for (int at = kind; at < _counts.Length; at += _stride)
            {
                sum += Volatile.Read(ref _counts[at]);
            }

            return sum;
        }

        public void Add(int kind) => Interlocked.Increment(ref _counts[((Thread.GetCurrentProcessorId() & (Stripes - 1)) * _stride) + kind]);

        public void Roll(long second)
        {
            long seen = Volatile.Read(ref _second);
            if (seen != second && Interlocked.CompareExchange(ref _second, second, seen) == seen)
            {
                // The thread that moved the slot to this second clears it; a count another thread adds around the
                // switch may be lost, which the budget and the breakers (estimates, not ledgers) tolerate.
                Clear();
            }
        }

        public void Clear()
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                Interlocked.Exchange(ref _counts[i], 0);
            }
        }
    }
}
