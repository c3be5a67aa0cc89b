using Fitten.Bench.Measurement.Internal;
using Fitten.Bench.Targets;

namespace Fitten.Bench.Running.Internal;

/// <summary>
/// One worker: one sender (one connection), its own recorder and random source, and the cancellation that the
/// timeout watchdog uses to abandon a request that took too long.
/// </summary>
internal sealed class Worker : IDisposable
{
    private readonly CancellationToken _runToken;
    private CancellationTokenSource _requestCts;
    private long _inFlightSince;

    public Worker(int index, WorkerRecorder recorder, IRequestSender sender, CancellationToken runToken)
    {
        Index = index;
        Recorder = recorder;
        Sender = sender;
        _runToken = runToken;
        _requestCts = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        Delay = new WorkerDelay(runToken);
    }

    public int Index { get; }

    public WorkerRecorder Recorder { get; }

    public IRequestSender Sender { get; }

    /// <summary>The worker's reusable wait (open-model slots, ladder pauses, reconnect back-off).</summary>
    public WorkerDelay Delay { get; }

    /// <summary>Per worker, because <see cref="System.Random"/> is not thread-safe.</summary>
    public Random Random { get; } = new();

    public CancellationToken RequestToken => _requestCts.Token;

    public void BeginRequest(long now) => Volatile.Write(ref _inFlightSince, now);

    public void EndRequest() => Volatile.Write(ref _inFlightSince, 0);

    /// <summary>Called by the watchdog thread: cancels the request in flight if it is older than the timeout.</summary>
    public void CancelIfOverdue(long now, long timeoutTicks)
    {
        var since = Volatile.Read(ref _inFlightSince);
        if (since != 0 && now - since > timeoutTicks)
        {
            try
            {
                Volatile.Read(ref _requestCts).Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The worker replaced the source between our read and Cancel: that request is already over.
            }
        }
    }

    /// <summary>After a timeout the source is spent; a fresh one serves the next request.</summary>
    public void RenewRequestToken()
    {
        var old = _requestCts;
        Volatile.Write(ref _requestCts, CancellationTokenSource.CreateLinkedTokenSource(_runToken));
        old.Dispose();
    }

    public void Dispose()
    {
        Delay.Dispose();
        _requestCts.Dispose();
    }
}
