using System.Collections.Immutable;
using Fitten.LoadBalancing;

namespace Fitten.Health;

/// <summary>
/// Decides ejections from call outcomes. Successes cost one volatile write; failures take a lock, which is fine
/// because they are rare and the ejection limit needs a consistent count.
/// </summary>
internal sealed class OutlierDetector(OutlierDetectionOptions options)
{
    private readonly Lock _lock = new();

    /// <summary>
    /// Whether an outcome counts against the instance that had the call: the server failed it, or it ran out of time
    /// there (a frozen or black-holed instance answers nothing, so its calls only ever time out). A deadline that ran
    /// out before the call was sent (<paramref name="notProcessed"/>) says nothing about the instance.
    /// </summary>
    public static bool IsInstanceFailure(StatusCode code, bool notProcessed)
        => code is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss
            || (code == StatusCode.DeadlineExceeded && !notProcessed);

    /// <summary>
    /// Records a successful call. Returns true once per ejection: for the first success after it ended, when the
    /// instance is back in rotation (callers log that).
    /// </summary>
    public bool OnSuccess(BalancerEndpoint endpoint)
    {
        if (endpoint.ConsecutiveFailures != 0)
        {
            Volatile.Write(ref endpoint.ConsecutiveFailures, 0);
        }

        // A success while still ejected is a panic-mode pick (every instance ejected): not a return yet.
        return Volatile.Read(ref endpoint.ReturnPending) != 0
            && !endpoint.IsEjectedAt(Environment.TickCount64)
            && Interlocked.Exchange(ref endpoint.ReturnPending, 0) != 0;
    }

    /// <summary>
    /// Records a failed call (<see cref="IsInstanceFailure"/>). <paramref name="connectFailed"/> means the instance
    /// refused or dropped the connection before taking the call. Returns true when this ejected the endpoint.
    /// </summary>
    public bool OnFailure(BalancerEndpoint endpoint, StatusCode code, bool notProcessed, bool connectFailed, ImmutableArray<BalancerEndpoint> all, long nowMs)
    {
        if (!options.Enabled || (!connectFailed && !IsInstanceFailure(code, notProcessed)))
        {
            return false;
        }

        lock (_lock)
        {
            if (endpoint.IsEjectedAt(nowMs))
            {
                return false;
            }

            if (!connectFailed && ++endpoint.ConsecutiveFailures < options.ConsecutiveFailures)
            {
                return false;
            }

            return TryEjectLocked(endpoint, all, nowMs);
        }
    }

    private bool TryEjectLocked(BalancerEndpoint endpoint, ImmutableArray<BalancerEndpoint> all, long nowMs)
    {
        int ejected = 0;
        foreach (var other in all)
        {
            ejected += other.IsEjectedAt(nowMs) ? 1 : 0;
        }

        // Rounded down: the limit may be zero (one instance, or a small percentage), and then nobody is ejected.
        if (ejected + 1 > all.Length * options.MaxEjectionPercent / 100)
        {
            return false;
        }

        long baseMs = (long)options.BaseEjectionTime.TotalMilliseconds;
        long maxMs = (long)options.MaxEjectionTime.TotalMilliseconds;

        // Ejections in a row grow linearly (Envoy); a long healthy stretch since the last one starts the count over.
        long lastEnd = endpoint.EjectedUntil;
        if (lastEnd != 0 && nowMs - lastEnd > maxMs)
        {
            endpoint.EjectionCount = 0;
        }

        endpoint.EjectionCount++;
        endpoint.ConsecutiveFailures = 0;
        endpoint.EjectedUntil = nowMs + Math.Min(baseMs * endpoint.EjectionCount, maxMs);
        Volatile.Write(ref endpoint.ReturnPending, 1);
        return true;
    }
}
