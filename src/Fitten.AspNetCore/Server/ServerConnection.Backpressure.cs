using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    // What a frame without a message costs in the queue: header, small payload, bookkeeping.
    private const int SmallFrameCost = 64;

    // Bytes this connection holds (FittenServerOptions.MaxBufferedBytesPerConnection): what waits for the writer
    // (frames, with the responses' buffers and the request buffers of their calls), and the request buffers of calls
    // still running. Past the bound the read loop stops reading until the total is back under half of it, so a client
    // that sends (calls, pings, settings) without reading the answers fills its own TCP window, not the server's memory.
    // Only a stop on the writer's side is the client's fault: running calls end by their own deadlines.
    private readonly long _maxBufferedBytes;
    private readonly long _resumeBufferedBytes;
    private long _queuedBytes;
    private long _runningBytes;
    private long _lastWriteProgressTicks = Environment.TickCount64;
    private TaskCompletionSource? _roomAvailable;
    private volatile bool _stopReading;

    private long BufferedBytes => Volatile.Read(ref _queuedBytes) + Volatile.Read(ref _runningBytes);

    private bool OverBufferBound => BufferedBytes > _maxBufferedBytes;

    /// <summary>
    /// Waits until what the connection holds is back under half the bound. False (reading ends) when the connection
    /// is stopping, or (aborted) when the client has read nothing for longer than the frame read timeout while
    /// answers wait for it.
    /// </summary>
    private async Task<bool> WaitForRoomAsync()
    {
        // The server, not the client, is holding up the frame being read: its read timeout pauses meanwhile.
        bool partial = Interlocked.Exchange(ref _partialSinceTicks, 0) != 0;
        var timeout = _limits.FrameReadTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromMinutes(5) : _limits.FrameReadTimeout;
        while (true)
        {
            var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Full fence before reading the sizes (the writer does the mirror image), so neither misses the other.
            Interlocked.Exchange(ref _roomAvailable, room);
            if (BufferedBytes <= _resumeBufferedBytes || _outbound.Reader.Completion.IsCompleted || _stopReading)
            {
                room.TrySetResult();
            }

            if (await Task.WhenAny(room.Task, Task.Delay(timeout)).ConfigureAwait(false) == room.Task)
            {
                if (_stopReading || _outbound.Reader.Completion.IsCompleted)
                {
                    return false;
                }

                if (partial)
                {
                    Volatile.Write(ref _partialSinceTicks, Environment.TickCount64);
                }

                return true;
            }

            if (IsWriterStalled(Environment.TickCount64))
            {
                Abort(GoAwayCode.StalledPeer, $"client read no response for {timeout.TotalMilliseconds} ms while {Volatile.Read(ref _queuedBytes)} bytes were waiting");
                return false;
            }

            // Running calls hold the room, not the client: wait on (they end by their deadlines or the drain).
        }
    }

    /// <summary>Reading must end (abort, drain over, connection closed): a read loop paused for room stops waiting.</summary>
    private void StopReading()
    {
        _stopReading = true;
        Interlocked.Exchange(ref _roomAvailable, null)?.TrySetResult();
    }

    /// <summary>
    /// The queue for the writer is over the resume mark and no flush has completed for longer than the frame read
    /// timeout. From the heartbeat too: catches a client that stopped reading after it stopped sending, when the read
    /// loop is parked waiting for input and so never reaches <see cref="WaitForRoomAsync"/>.
    /// </summary>
    private bool IsWriterStalled(long now)
        => Volatile.Read(ref _queuedBytes) > _resumeBufferedBytes
            && _limits.FrameReadTimeout != Timeout.InfiniteTimeSpan
            && now - Volatile.Read(ref _lastWriteProgressTicks) > (long)_limits.FrameReadTimeout.TotalMilliseconds;

    /// <summary>
    /// Roughly what <paramref name="item"/> occupies until written: for a response, its call's buffers (request and
    /// response), which go back when it is written.
    /// </summary>
    private static long QueueCost(in Outbound item)
        => SmallFrameCost + (item.Message?.Length ?? 0) + (item.Call is { } call ? call.RequestPayload.Capacity + call.ResponseBody.Capacity : 0);

    /// <summary>A call was accepted: its request buffer counts until its response is written.</summary>
    private void OnCallStarted(ServerCall call) => Interlocked.Add(ref _runningBytes, call.RequestPayload.Capacity);

    /// <summary>A call's handler finished: its request buffer now counts as part of its queued response.</summary>
    private void OnCallStopped(ServerCall call) => Interlocked.Add(ref _runningBytes, -call.RequestPayload.Capacity);

    /// <summary>A frame worth <paramref name="cost"/> joined the queue.</summary>
    private void OnQueued(long cost)
    {
        if (Interlocked.Add(ref _queuedBytes, cost) == cost)
        {
            // The queue was empty: the writer's clock (for stalls) starts now, not at its last flush long ago.
            Volatile.Write(ref _lastWriteProgressTicks, Environment.TickCount64);
        }
    }

    /// <summary>The writer took frames worth <paramref name="bytes"/> off the queue.</summary>
    private void OnFramesWritten(long bytes)
    {
        Volatile.Write(ref _lastWriteProgressTicks, Environment.TickCount64);
        Interlocked.Add(ref _queuedBytes, -bytes);
        if (Volatile.Read(ref _roomAvailable) is not null && BufferedBytes <= _resumeBufferedBytes)
        {
            Interlocked.Exchange(ref _roomAvailable, null)?.TrySetResult();
        }
    }
}
