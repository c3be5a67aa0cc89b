namespace Fitten.Etcd;

public sealed partial class EtcdRegistry
{
    /// <summary>Name of the loop that keeps the lease alive and retries the writes a (de)registration could not make.</summary>
    private const string LeaseLoop = "lease keep-alive";

    // The loops whose last attempt could not reach etcd: the registry is unreachable while any is here. One set for
    // the registry, so an outage is one warning and one recovery line however many loops (lease, each watch) retry.
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private long _outageStarted;
    private int _outageFailures;

    /// <summary>
    /// Notes that <paramref name="loop"/> could not reach etcd. The first such failure while etcd was reachable
    /// logs the outage's one warning, with the error's message only: the stack trace of a refused connection says
    /// nothing more, and it is at Debug with every retry.
    /// </summary>
    private void NoteUnreachable(string loop, Exception error)
    {
        bool first;
        lock (_failing)
        {
            first = _failing.Count == 0;
            if (first)
            {
                _outageStarted = Environment.TickCount64;
                _outageFailures = 0;
            }

            _failing.Add(loop);
            _outageFailures++;
        }

        if (first)
        {
            Log.EtcdUnreachable(_logger, _options.Endpoint, Describe(error), RegisteredCount(), WatchedCount());
        }
    }

    /// <summary>Notes that <paramref name="loop"/> reached etcd; the last loop to do so after an outage logs that etcd is back.</summary>
    private void NoteReached(string loop)
    {
        long started;
        int failures;
        lock (_failing)
        {
            if (!_failing.Remove(loop) || _failing.Count != 0)
            {
                return;
            }

            started = _outageStarted;
            failures = _outageFailures;
        }

        Log.EtcdReachable(_logger, _options.Endpoint, Math.Round((Environment.TickCount64 - started) / 1000.0, 1), failures);
    }

    private int WatchedCount()
    {
        lock (_pumps)
        {
            return _pumps.Count;
        }
    }
}
