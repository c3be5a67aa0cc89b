using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    // Bytes queued for the writer. Past the high mark the read loop stops reading until the writer is back under
    // the low mark, so a client that sends (pings, bad requests, calls) without reading the answers fills its own
    // TCP window instead of the server's memory. 1 MiB is many thousands of typical responses.
    private const long QueueHighWatermark = 1024 * 1024;
    private const long QueueLowWatermark = 256 * 1024;

    // What a frame without a message costs in the queue: header, small payload, bookkeeping.
    private const int SmallFrameCost = 64;

    private long _queuedBytes;
    private long _lastWriteProgressTicks = Environment.TickCount64;
    private TaskCompletionSource? _writerCaughtUp;

    /// <summary>
    /// Waits for the writer to drain the queue. False (and the connection aborted) when the client has not read
    /// for longer than the frame read timeout, or the writer has stopped.
    /// </summary>
    private async Task<bool> WaitForWriterAsync()
    {
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Full fence before reading the queue size (the writer does the mirror image), so neither misses the other.
        Interlocked.Exchange(ref _writerCaughtUp, caughtUp);
        if (Volatile.Read(ref _queuedBytes) <= QueueLowWatermark || _outbound.Reader.Completion.IsCompleted)
        {
            caughtUp.TrySetResult();
        }

        // The server, not the client, is holding up the frame being read: its read timeout pauses meanwhile.
        bool partial = Interlocked.Exchange(ref _partialSinceTicks, 0) != 0;
        var timeout = _limits.FrameReadTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromMinutes(5) : _limits.FrameReadTimeout;
        if (await Task.WhenAny(caughtUp.Task, Task.Delay(timeout)).ConfigureAwait(false) == caughtUp.Task)
        {
            if (partial)
            {
                Volatile.Write(ref _partialSinceTicks, Environment.TickCount64);
            }

            return !_outbound.Reader.Completion.IsCompleted;
        }

        Abort(GoAwayCode.StalledPeer, $"client read no response for {timeout.TotalMilliseconds} ms while {Volatile.Read(ref _queuedBytes)} bytes were waiting");
        return false;
    }

    /// <summary>
    /// From the heartbeat: the queue is over the high mark and no flush has completed for longer than the frame read
    /// timeout. Catches a client that stopped reading after it stopped sending too, when the read loop is parked
    /// waiting for input and so never reaches <see cref="WaitForWriterAsync"/>.
    /// </summary>
    private bool IsWriterStalled(long now)
        => Volatile.Read(ref _queuedBytes) > QueueHighWatermark
            && _limits.FrameReadTimeout != Timeout.InfiniteTimeSpan
            && now - Volatile.Read(ref _lastWriteProgressTicks) > (long)_limits.FrameReadTimeout.TotalMilliseconds;

    /// <summary>Roughly what <paramref name="item"/> occupies until written.</summary>
    private static int QueueCost(in Outbound item) => SmallFrameCost + (item.Call?.ResponseBody.WrittenCount ?? 0) + (item.Message?.Length ?? 0);

    /// <summary>The writer took frames worth <paramref name="bytes"/> off the queue.</summary>
    private void OnFramesWritten(long bytes)
    {
        Volatile.Write(ref _lastWriteProgressTicks, Environment.TickCount64);
        if (Interlocked.Add(ref _queuedBytes, -bytes) <= QueueLowWatermark && Volatile.Read(ref _writerCaughtUp) is not null)
        {
            Interlocked.Exchange(ref _writerCaughtUp, null)?.TrySetResult();
        }
    }
}
