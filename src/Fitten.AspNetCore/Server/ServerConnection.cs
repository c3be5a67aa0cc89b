using System.IO.Pipelines;
using System.Threading.Channels;
using Fitten.Protocol;
using Fitten.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// Serves Fitten RPC on one transport connection: checks the preface, reads frames, runs calls concurrently on
/// the thread pool, writes responses in completion order (coalesced, one flush per batch), enforces the limits
/// and timeouts, and drains on shutdown. A protocol violation closes this connection only.
/// </summary>
internal sealed partial class ServerConnection
{
    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly MethodTable _methods;
    private readonly FittenServerOptions _options;
    private readonly FittenLimits _limits;
    private readonly ILogger _logger;
    private readonly Dictionary<uint, ServerCall> _active = [];
    private readonly Lock _lock = new();
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Timer? _timer;
    private uint _lastStreamId;
    private uint _goAwayStreamId = uint.MaxValue;
    private bool _draining;
    private long _lastFrameTicks;
    private long _partialSinceTicks;
    private (GoAwayCode Code, string Message)? _abort;

    // Handlers that honour their cancellation end at once when a connection closes; one that ignores it must not
    // keep a closing connection open, so after this the connection answers for it (AnswerCallsInFlightAsync).
    private static readonly TimeSpan CancelledCallGrace = TimeSpan.FromSeconds(1);

    // Until the client's settings arrive, assume the protocol's default maximum frame size.
    private int _peerMaxFrameSize = FittenLimits.DefaultMaxFrameSize;

    /// <summary>The largest response metadata block the client takes (its settings; the documented default until they arrive).</summary>
    private int _peerMaxMetadataSize = FittenLimits.DefaultMaxMetadataSize;

    public ServerConnection(ConnectionContext context, MethodTable methods, FittenServerOptions options, ILogger logger)
    {
        _context = context;
        _input = context.Transport.Input;
        _output = context.Transport.Output;
        _methods = methods;
        _options = options;
        _limits = options.Limits;
        _logger = logger;
        _maxBufferedBytes = options.MaxBufferedBytesPerConnection;
        _resumeBufferedBytes = options.MaxBufferedBytesPerConnection / 2;
        _writeWorkItem = new WriteWorkItem(this);
        Peer = context.RemoteEndPoint?.ToString();
    }

    public string? Peer { get; }

    private TimeSpan OutputCloseTimeout => _limits.FrameReadTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : _limits.FrameReadTimeout;

    public string ConnectionId => _context.ConnectionId;

    public async Task RunAsync()
    {
        if (FittenTelemetry.ServerConnections.Enabled)
        {
            FittenTelemetry.ServerConnections.Add(1);
        }

        _lastFrameTicks = Environment.TickCount64;
        _partialSinceTicks = _lastFrameTicks;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(Ms(_limits.IdleTimeout), Ms(_limits.FrameReadTimeout)) / 4, 25, 1000));
        _timer = new Timer(static state => ((ServerConnection)state!).OnTick(), this, period, period);
        var closeRequested = _context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var shutdown = closeRequested.UnsafeRegister(static state => ((ServerConnection)state!).BeginDrain("server shutting down"), this);
        // A read loop paused for room would not see the client go; it must, so the calls it left are cancelled.
        using var closed = _context.ConnectionClosed.UnsafeRegister(static state => ((ServerConnection)state!).StopReading(), this);
        try
        {
            if (!await ReadPrefaceAsync().ConfigureAwait(false))
            {
                return;
            }

            Post(new Outbound(FrameType.Settings, FrameFlags.None, 0, null));
            if (await ReadLoopAsync().ConfigureAwait(false))
            {
                // The client closed its sending side but may still be reading: finish what it asked for first.
                BeginDrain("client closed its side of the connection");
                await Task.WhenAny(_drained.Task, Task.Delay(_options.DrainTimeout)).ConfigureAwait(false);
            }
        }
        finally
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
            await AnswerCallsInFlightAsync().ConfigureAwait(false);
            await CloseOutputAsync().ConfigureAwait(false);
            if (FittenTelemetry.ServerConnections.Enabled)
            {
                FittenTelemetry.ServerConnections.Add(-1);
            }
        }
    }

    /// <summary>Stops taking calls: goaway naming the last stream accepted, wait for calls in flight, then close.</summary>
    public void BeginDrain(string reason)
    {
        uint last;
        bool idle;
        lock (_lock)
        {
            if (_draining)
            {
                return;
            }

            _draining = true;
            _goAwayStreamId = last = _lastStreamId;
            idle = _active.Count == 0;
        }

        Log.Draining(_logger, ConnectionId, last, reason);
        Post(Outbound.GoAway(last, GoAwayCode.NoError, reason));
        if (idle)
        {
            _drained.TrySetResult();
        }

        _ = FinishDrainAsync();
    }

    private async Task FinishDrainAsync()
    {
        if (await Task.WhenAny(_drained.Task, Task.Delay(_options.DrainTimeout)).ConfigureAwait(false) != _drained.Task)
        {
            int left;
            lock (_lock)
            {
                left = _active.Count;
            }

            Log.DrainTimedOut(_logger, ConnectionId, left, _options.DrainTimeout);
        }

        // Everything answered (or out of time): stop reading; the run loop then flushes and closes.
        StopReading();
        _input.CancelPendingRead();
    }

    /// <summary>A handler finished: forget the call and queue its response.</summary>
    public void OnCallFinished(ServerCall call)
    {
        bool drained;
        lock (_lock)
        {
            // Queued under the lock that takes the call out of the table: whoever sees the table without it (the close,
            // which then completes the queue) sees its response queued, so no answer falls between the two.
            _active.Remove(call.StreamId);
            drained = _draining && _active.Count == 0;
            OnCallStopped(call);
            Enqueue(new Outbound(FrameType.Response, FrameFlags.EndStream, call.StreamId, call));
        }

        // Written on this (the handler's) thread when no other thread is writing: no hop to a writer thread.
        WriteQueued();
        if (drained)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>The server's logger ("Fitten.Server"), for failures of calls on this connection.</summary>
    public ILogger Logger => _logger;

    private void Enqueue(in Outbound item)
    {
        OnQueued(QueueCost(item));
        if (!_outbound.Writer.TryWrite(item))
        {
            // The connection is closing and its writer is gone; a call's pooled state goes back anyway.
            item.Call?.Return();
        }
    }

    /// <summary>Closes the connection for <paramref name="code"/>: goaway naming the last stream accepted, then stop reading.</summary>
    private void Abort(GoAwayCode code, string message)
    {
        uint last;
        lock (_lock)
        {
            if (_abort is not null)
            {
                return;
            }

            _abort = (code, message);
            last = Math.Min(_lastStreamId, _goAwayStreamId);

            // The goaway promises answers up to here and no further: a request the read loop takes after this point
            // (an abort from the heartbeat races it) is refused as not processed, never run and then cut off.
            _draining = true;
            _goAwayStreamId = last;
        }

        Log.ConnectionAborted(_logger, ConnectionId, code, message);
        Post(Outbound.GoAway(last, code, message));
        StopReading();
        _input.CancelPendingRead();
    }

    /// <summary>
    /// Closes an idle connection. The idle check and the stop happen under one lock, so a request that arrives
    /// meanwhile is above the goaway's stream id: refused as not processed, never cancelled half-run.
    /// </summary>
    private void CloseIdle(long idleMs)
    {
        lock (_lock)
        {
            if (_active.Count != 0 || _draining)
            {
                return;
            }

            _draining = true;
            _goAwayStreamId = _lastStreamId;
        }

        Abort(GoAwayCode.IdleTimeout, $"idle for more than {idleMs / 1000.0:0.###} s");
    }

    private void OnTick()
    {
        long now = Environment.TickCount64;
        if (IsWriterStalled(now))
        {
            Abort(GoAwayCode.StalledPeer, $"client read no response for {_limits.FrameReadTimeout.TotalMilliseconds} ms while {Volatile.Read(ref _queuedBytes)} bytes were waiting");
            // The goaway cannot be written either; cut the transport so the pending flush ends.
            _context.Abort(new ConnectionAbortedException("The client stopped reading."));
            return;
        }

        long partialSince = Volatile.Read(ref _partialSinceTicks);
        if (partialSince != 0 && _limits.FrameReadTimeout != Timeout.InfiniteTimeSpan && now - partialSince > Ms(_limits.FrameReadTimeout))
        {
            Abort(GoAwayCode.ReadTimeout, $"frame not completed within {_limits.FrameReadTimeout.TotalMilliseconds} ms");
            return;
        }

        if (_limits.IdleTimeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        if (partialSince == 0 && now - Volatile.Read(ref _lastFrameTicks) > Ms(_limits.IdleTimeout))
        {
            CloseIdle(Ms(_limits.IdleTimeout));
        }
    }

    /// <summary>
    /// The connection is closing (protocol error, timeout, drain over, client gone): every call still running sees its
    /// token cancelled, and each still gets its one response before the close, because the goaway named it as one the
    /// server will answer (docs/protocol.md §7): its handler's outcome if the handler ends within
    /// <see cref="CancelledCallGrace"/>, else UNAVAILABLE written here (the handler's later outcome is dropped).
    /// </summary>
    private async Task AnswerCallsInFlightAsync()
    {
        // Under the lock, as in OnCancel: only calls still in the table, never a pooled object already reused.
        lock (_lock)
        {
            // Reading has ended, so nothing starts any more; a handler that ends now signals _drained when it is the last.
            _draining = true;
            if (_active.Count == 0)
            {
                return;
            }

            foreach (var call in _active.Values)
            {
                call.Cancel(StatusCode.Unavailable);
            }
        }

        // Nobody to answer when the client is gone or cannot be written to.
        if (!_context.ConnectionClosed.IsCancellationRequested && !Volatile.Read(ref _outputGone))
        {
            await Task.WhenAny(_drained.Task, Task.Delay(CancelledCallGrace)).ConfigureAwait(false);
        }

        lock (_lock)
        {
            foreach (var call in _active.Values)
            {
                // A stream the client cancelled was forgotten by it and gets nothing, as always.
                if (call.SuppressResponse())
                {
                    Enqueue(Outbound.Refusal(call.StreamId, StatusCode.Unavailable, "The connection closed before the call finished; it may have been processed.") with { Flags = FrameFlags.EndStream });
                }
            }
        }
    }

    private static long Ms(TimeSpan value) => value == Timeout.InfiniteTimeSpan ? long.MaxValue / 4 : (long)value.TotalMilliseconds;
}
