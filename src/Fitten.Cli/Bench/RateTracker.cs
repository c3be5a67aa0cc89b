using System.Diagnostics;
using Fitten.Bench.Running;

namespace Fitten.Cli.Bench;

/// <summary>The current request rate, from the change in the request count between two progress snapshots.</summary>
internal sealed class RateTracker
{
    private long _lastRequests;
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private double _rate;

    public double Update(BenchProgress progress)
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;

        // Redraws faster than ~200 ms apart would make the rate jitter; keep the last one until enough time passed.
        if (seconds >= 0.2)
        {
            _rate = Math.Max(0, progress.Requests - _lastRequests) / seconds;
            _lastRequests = progress.Requests;
            _lastTimestamp = now;
        }

        return _rate;
    }
}
