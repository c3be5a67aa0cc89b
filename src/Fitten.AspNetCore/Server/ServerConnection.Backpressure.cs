using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    // Frames queued for the writer. Past the high mark the read loop stops reading until the writer is back under
    // the low mark, so a client that sends (pings, bad requests, calls) without reading the answers fills its own
    // TCP window instead of the server's memory. 4096 small frames are well under a megabyte.
    private const int QueueHighWatermark = 4096;
    private const int QueueLowWatermark = 1024;

    private int _queuedFrames;
    private TaskCompletionSource? _writerCaughtUp;

    /// <summary>
    /// Waits for the writer to drain the queue. False (and the connection aborted) when the client has not read
    /// for longer than the frame read timeout, or the writer has stopped.
    /// </summary>
    private async Task<bool> WaitForWriterAsync()
    {
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _writerCaughtUp, caughtUp);
        if (Volatile.Read(ref _queuedFrames) <= QueueLowWatermark || _outbound.Reader.Completion.IsCompleted)
        {
            caughtUp.TrySetResult();
        }

        var timeout = _limits.FrameReadTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromMinutes(5) : _limits.FrameReadTimeout;
        if (await Task.WhenAny(caughtUp.Task, Task.Delay(timeout)).ConfigureAwait(false) == caughtUp.Task)
        {
            return !_outbound.Reader.Completion.IsCompleted;
        }

        Abort(GoAwayCode.StalledPeer, $"client read no response for {timeout.TotalMilliseconds} ms while {Volatile.Read(ref _queuedFrames)} frames were waiting");
        return false;
    }

    /// <summary>The writer took <paramref name="count"/> frames off the queue.</summary>
    private void OnFramesWritten(int count)
    {
        if (Interlocked.Add(ref _queuedFrames, -count) <= QueueLowWatermark && Volatile.Read(ref _writerCaughtUp) is not null)
        {
            Interlocked.Exchange(ref _writerCaughtUp, null)?.TrySetResult();
        }
    }
}
