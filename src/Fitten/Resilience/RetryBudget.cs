namespace Fitten.Resilience;

/// <summary>
/// Counts one client's calls and retries over the last <see cref="WindowSeconds"/> seconds, in one-second buckets, and
/// allows a retry only while retries stay within <c>ratio × calls + floor</c> over that window. Thread-safe and
/// lock-free: a call costs a clock read and one interlocked increment.
/// </summary>
internal sealed class RetryBudget
{
    /// <summary>The window the budget looks back over: long enough to smooth bursts, short enough to follow load.</summary>
    public const int WindowSeconds = 10;

    private readonly double _ratio;
    private readonly int _floor;
    private readonly Bucket[] _buckets = new Bucket[WindowSeconds];

    public RetryBudget(RetryBudgetOptions options)
    {
        _ratio = options.Ratio;
        _floor = options.MinRetriesPerSecond * WindowSeconds;
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>Counts a call (its first attempt).</summary>
    public void OnCall() => Current(Environment.TickCount64 / 1000).AddCall();

    /// <summary>Takes one retry from the budget; false when the budget is spent (the retry must not be made).</summary>
    public bool TryRetry()
    {
        long second = Environment.TickCount64 / 1000;
        long calls = 0, retries = 0;
        foreach (var bucket in _buckets)
        {
            if (bucket.IsWithin(second))
            {
                calls += bucket.Calls;
                retries += bucket.Retries;
            }
        }

        // Two retries racing for the last unit may both pass: the budget bounds load, it is not a ledger.
        if (retries >= (_ratio * calls) + _floor)
        {
            return false;
        }

        Current(second).AddRetry();
        return true;
    }

    private Bucket Current(long second)
    {
        var bucket = _buckets[second % WindowSeconds];
        bucket.Roll(second);
        return bucket;
    }

    /// <summary>One second's counts; reset when its slot comes round again.</summary>
    private sealed class Bucket
    {
        private long _second = -WindowSeconds;
        private long _calls;
        private long _retries;

        public long Calls => Volatile.Read(ref _calls);

        public long Retries => Volatile.Read(ref _retries);

        public bool IsWithin(long now) => now - Volatile.Read(ref _second) < WindowSeconds;

        public void AddCall() => Interlocked.Increment(ref _calls);

        public void AddRetry() => Interlocked.Increment(ref _retries);

        public void Roll(long second)
        {
            long seen = Volatile.Read(ref _second);
            if (seen != second && Interlocked.CompareExchange(ref _second, second, seen) == seen)
            {
                // The one thread that moved the slot to this second clears it; counts a racing thread added to the
                // old second in between are lost, which only makes the budget a little stricter for that second.
                Interlocked.Exchange(ref _calls, 0);
                Interlocked.Exchange(ref _retries, 0);
            }
        }
    }
}
