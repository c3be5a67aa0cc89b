using System.Net;
using Fitten.Internal;

namespace Fitten.Client;

/// <summary>
/// A few multiplexed connections to one endpoint. Picking is lock-free and synchronous while a usable connection
/// exists; empty or dead slots are refilled in the background, and after a failed connect attempt new attempts
/// wait out a growing backoff while calls fail fast with UNAVAILABLE.
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private static readonly TimeSpan DisposeDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly EndPoint _endPoint;
    private readonly FittenChannelOptions _options;
    private readonly ClientConnection?[] _slots;
    private readonly Task<ClientConnection>?[] _connecting;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private int _next;
    private Backoff _backoff;
    private long _retryAtTicks;
    private string? _lastError;
    private readonly Action _onSlotFreed;
    private TaskCompletionSource _slotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionPool(EndPoint endPoint, FittenChannelOptions options)
    {
        _endPoint = endPoint;
        _options = options;
        _onSlotFreed = OnSlotFreed;
        _backoff = new Backoff(options.InitialReconnectBackoff, options.MaxReconnectBackoff);
        _slots = new ClientConnection?[options.ConnectionsPerEndpoint];
        _connecting = new Task<ClientConnection>?[options.ConnectionsPerEndpoint];
    }

    public EndPoint EndPoint => _endPoint;

    /// <summary>Connections open right now (for tests and diagnostics).</summary>
    public int OpenConnections
    {
        get
        {
            int n = 0;
            foreach (var slot in _slots)
            {
                if (slot is { IsClosed: false })
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>
    /// A connection to start a call on: at once while one is usable; otherwise after a connect, waited for until
    /// <paramref name="deadline"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp, <see cref="long.MaxValue"/>
    /// for none), then DEADLINE_EXCEEDED.
    /// </summary>
    public ValueTask<ClientConnection> GetAsync(long deadline, CancellationToken cancellationToken)
    {
        var slots = _slots;
        int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)slots.Length);
        ClientConnection? found = null;
        bool anyMissing = false;
        for (int i = 0; i < slots.Length; i++)
        {
            var connection = slots[(start + i) % slots.Length];
            if (connection is null || !connection.IsAccepting)
            {
                anyMissing = true;
            }
            else if (found is null && connection.IsUsable)
            {
                found = connection;
            }
        }

        if (anyMissing)
        {
            Refill();
        }

        return found is not null ? ValueTask.FromResult(found) : WaitForConnectionAsync(deadline, cancellationToken);
    }

    private async ValueTask<ClientConnection> WaitForConnectionAsync(long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            Task<ClientConnection>? pending = null;
            Task? slotFreed = null;
            lock (_lock)
            {
                // Taken before the slots are looked at, so a slot freed after the look still wakes this call.
                var freed = _slotFreed.Task;
                bool anyAccepting = false;
                foreach (var slot in _slots)
                {
                    if (slot is { IsUsable: true })
                    {
                        return slot;
                    }

                    anyAccepting |= slot is { IsAccepting: true };
                }

                if (anyAccepting)
                {
                    // Every connection is at the server's concurrency limit (its SETTINGS): wait for a call to end
                    // rather than send one the server would refuse, as an HTTP/2 client waits for a stream.
                    slotFreed = freed;
                }
                else if (Environment.TickCount64 < _retryAtTicks)
                {
                    throw new RpcException(StatusCode.Unavailable, $"Cannot connect to {_endPoint}: {_lastError} (next attempt in {_retryAtTicks - Environment.TickCount64} ms).")
                    {
                        NotProcessed = true,
                    };
                }
                else
                {
                    pending = StartConnectLocked(null);
                }
            }

            if (slotFreed is not null)
            {
                try
                {
                    await slotFreed.WaitAsync(Deadline.Remaining(deadline), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new RpcException(StatusCode.DeadlineExceeded, $"Deadline exceeded waiting for a free call slot on {_endPoint} (every connection is at the server's concurrency limit).") { NotProcessed = true };
                }

                continue;
            }

            try
            {
                return await pending!.WaitAsync(Deadline.Remaining(deadline), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The connect goes on for the calls after this one; this call's time is up.
                throw new RpcException(StatusCode.DeadlineExceeded, $"Deadline exceeded while connecting to {_endPoint}.") { NotProcessed = true };
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not ObjectDisposedException)
            {
                throw new RpcException(StatusCode.Unavailable, $"Cannot connect to {_endPoint}: {ex.Message}", ex) { NotProcessed = true };
            }
        }
    }

    /// <summary>A connection at the server's concurrency limit ended a call: wake the calls waiting for a slot.</summary>
    private void OnSlotFreed()
        => Interlocked.Exchange(ref _slotFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void Refill()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested || Environment.TickCount64 < _retryAtTicks)
            {
                return;
            }

            for (int i = 0; i < _slots.Length; i++)
            {
                if ((_slots[i] is null || !_slots[i]!.IsAccepting) && _connecting[i] is null)
                {
                    StartConnectLocked(i);
                }
            }
        }
    }

    /// <summary>
    /// Starts a connect for slot <paramref name="index"/>, or for any free slot when it is null (joining one already
    /// in flight). The caller holds the lock; the connect's own bookkeeping takes it, so it cannot finish first.
    /// </summary>
    private Task<ClientConnection> StartConnectLocked(int? index)
    {
        if (index is null)
        {
            foreach (var inFlight in _connecting)
            {
                if (inFlight is not null)
                {
                    return inFlight;
                }
            }

            index = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is not { IsAccepting: true })
                {
                    index = i;
                    break;
                }
            }
        }

        int slot = index.Value;
        if (_connecting[slot] is { } running)
        {
            return running;
        }

        // A background refill's connect has no waiter: observe its failure (recorded in _lastError) so it is never
        // rethrown as an unobserved task exception; callers that wait still get it.
        var connect = ConnectSlotAsync(slot);
        connect.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return _connecting[slot] = connect;
    }

    private async Task<ClientConnection> ConnectSlotAsync(int index)
    {
        // Never finish synchronously: the caller stores this task under the lock after this method returns.
        await Task.Yield();
        try
        {
            var connection = await ClientConnection.ConnectAsync(_endPoint, _options, _disposed.Token).ConfigureAwait(false);
            connection.SlotFreed = _onSlotFreed;
            ClientConnection? previous;
            lock (_lock)
            {
                previous = _slots[index];
                _slots[index] = connection;
                _connecting[index] = null;
                _backoff.Reset();
                _retryAtTicks = 0;
            }

            // A connection going away keeps serving its in-flight calls; it closes itself when they are done.
            previous?.Drain();

            // A new connection has free slots: calls waiting for one may go.
            OnSlotFreed();
            if (_disposed.IsCancellationRequested)
            {
                connection.Close(null);
            }

            return connection;
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _connecting[index] = null;
                _lastError = ex.Message;
                _retryAtTicks = Environment.TickCount64 + (long)_backoff.Next().TotalMilliseconds;
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        ClientConnection?[] slots;
        lock (_lock)
        {
            slots = [.. _slots];
        }

        foreach (var slot in slots)
        {
            slot?.Drain();
        }

        foreach (var slot in slots)
        {
            if (slot is null)
            {
                continue;
            }

            // Calls in flight get a bounded time to finish; then the connection is closed under them (UNAVAILABLE).
            if (await Task.WhenAny(slot.Closed, Task.Delay(DisposeDrainTimeout)).ConfigureAwait(false) != slot.Closed)
            {
                slot.Close(null);
            }
        }

        _disposed.Dispose();
    }
}
