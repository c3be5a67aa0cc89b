using System.Diagnostics;

namespace Fitten.Resilience;

/// <summary>
/// The latencies of a method's last <see cref="Capacity"/> calls and a quantile of them (the p95 an adaptive slow-call
/// threshold is a multiple of). Recording is a ring-buffer write; the quantile is recomputed from a sorted copy at
/// most every <see cref="RefreshMs"/> ms, by whichever caller asks first after that, so reading it is a field read.
/// </summary>
internal sealed class RecentLatencies(double quantile)
{
    public const int Capacity = 256;

    /// <summary>Fewer samples than this give no quantile: too few to say what is normal.</summary>
    public const int MinSamples = 32;

    private const long RefreshMs = 250;

    private readonly long[] _samples = new long[Capacity];
    private long _count;
    // Far enough in the past that the first read refreshes, near enough that now minus it cannot overflow.
    private long _refreshedAt = -RefreshMs;
    private long _cached = -1;

    /// <summary>Records one call's latency, in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        long at = Interlocked.Increment(ref _count) - 1;
        Volatile.Write(ref _samples[at % Capacity], ticks);
    }

    /// <summary>The quantile of the recent latencies, in Stopwatch ticks; -1 while there are fewer than <see cref="MinSamples"/>.</summary>
    public long Quantile
    {
        get
        {
            long now = Environment.TickCount64;
            long refreshed = Volatile.Read(ref _refreshedAt);
            if (now - refreshed >= RefreshMs && Interlocked.CompareExchange(ref _refreshedAt, now, refreshed) == refreshed)
            {
                Volatile.Write(ref _cached, Compute());
            }

            return Volatile.Read(ref _cached);
        }
    }

    private long Compute()
    {
        int n = (int)Math.Min(Volatile.Read(ref _count), Capacity);
        if (n < MinSamples)
        {
            return -1;
        }

        var copy = new long[n];
        Array.Copy(_samples, copy, n);
        Array.Sort(copy);
        return copy[Math.Min(n - 1, (int)Math.Ceiling(quantile * n) - 1)];
    }
}
