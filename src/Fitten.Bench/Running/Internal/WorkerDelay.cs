using System.Threading.Tasks.Sources;

namespace Fitten.Bench.Running.Internal;

/// <summary>
/// A reusable wait for one worker: one timer re-armed per wait and a reusable value-task source, so an open-model
/// worker that waits for every slot allocates nothing per request (a <see cref="Task.Delay(TimeSpan)"/> per
/// request cost ~850 bytes: a task, a timer and a cancellation registration). Cancelling the run ends a wait at once.
/// </summary>
internal sealed class WorkerDelay : IValueTaskSource, IDisposable
{
    private readonly Timer _timer;
    private readonly CancellationTokenRegistration _cancellation;
    private readonly CancellationToken _cancellationToken;
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _waiting;

    public WorkerDelay(CancellationToken cancellationToken)
    {
        // Continuations must not run on the timer thread, which every timer in the process shares.
        _core.RunContinuationsAsynchronously = true;
        _cancellationToken = cancellationToken;
        _timer = new Timer(static s => ((WorkerDelay)s!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
        _cancellation = cancellationToken.UnsafeRegister(static s => ((WorkerDelay)s!).Fire(), this);
    }

    /// <summary>Waits for <paramref name="delay"/>, or until the run is cancelled. One wait at a time.</summary>
    public ValueTask WaitAsync(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero || _cancellationToken.IsCancellationRequested)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        Volatile.Write(ref _waiting, 1);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        return new ValueTask(this, _core.Version);
    }

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _cancellation.Dispose();
        _timer.Dispose();
    }

    // The timer and the cancellation can both fire for one wait; only the first completes it.
    private void Fire()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(true);
        }
    }
}
