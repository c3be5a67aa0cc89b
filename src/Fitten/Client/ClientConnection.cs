using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Fitten.Protocol;
using Fitten.Telemetry;

namespace Fitten.Client;

/// <summary>
/// One multiplexed client connection: frames queued by callers are coalesced into few socket sends by whichever
/// thread holds the send path (the caller itself when alone, else a pool work item; ClientConnection.Sending.cs),
/// and a read loop matches responses to calls by stream id. Many calls share it and are answered in any order.
/// </summary>
internal sealed partial class ClientConnection
{

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly ClientLimits _limits;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<uint, ClientCall> _pending = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextStreamId = 1;
    private uint _goAwayLastStreamId = uint.MaxValue;
    private bool _accepting = true;
    private bool _isClosed;
    private int _peerMaxConcurrentCalls = int.MaxValue;
    // Until the server's settings arrive, assume the protocol's default maximum frame size (docs/protocol.md §6).
    private int _peerMaxFrameSize = FittenLimits.DefaultMaxFrameSize;

    private ClientConnection(Socket socket, EndPoint endPoint, FittenChannelOptions options)
    {
        _socket = socket;
        _limits = options.Limits;
        _keepAliveIntervalMs = options.KeepAliveInterval == Timeout.InfiniteTimeSpan ? 0 : (long)options.KeepAliveInterval.TotalMilliseconds;
        _keepAliveTimeoutMs = (long)options.KeepAliveTimeout.TotalMilliseconds;
        _sendWorkItem = new SendWorkItem(this);
        EndPoint = endPoint;
        _input = PipeReader.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024));
    }

    public EndPoint EndPoint { get; }

    /// <summary>Called when a call ends on this connection while it was at the server's concurrency limit (the pool's waiters).</summary>
    public Action? SlotFreed { get; set; }

    /// <summary>Takes new calls: open, not going away, and below the server's concurrency limit.</summary>
    public bool IsUsable
    {
        get
        {
            lock (_lock)
            {
                return _accepting && _pending.Count < _peerMaxConcurrentCalls;
            }
        }
    }

    /// <summary>Closed for good: the pool replaces it.</summary>
    public bool IsClosed => Volatile.Read(ref _isClosed);

    /// <summary>Whether it will take new calls at all (possibly over the server's limit).</summary>
    public bool IsAccepting => Volatile.Read(ref _accepting);

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Completes when the connection has closed and every call on it has been completed.</summary>
    public Task Closed => _closed.Task;

    public static async Task<ClientConnection> ConnectAsync(EndPoint endPoint, FittenChannelOptions options, CancellationToken cancellationToken)
    {
        var socket = endPoint is DnsEndPoint
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new ClientConnection(socket, endPoint, options);
        connection.Start();
        return connection;
    }

    private void Start()
    {
        if (FittenTelemetry.ClientConnections.Enabled)
        {
            FittenTelemetry.ClientConnections.Add(1);
        }

        Post(new Outbound(FrameType.Settings, FrameFlags.None, 0, null, 0));
        StartKeepAlive();
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>Queues a call's request. False when the connection takes no new calls; the caller picks another.</summary>
    public bool TryStart(ClientCall call)
    {
        lock (_lock)
        {
            if (!_accepting)
            {
                return false;
            }

            uint id = _nextStreamId++;
            if (id > int.MaxValue)
            {
                // Stream ids are spent: retire this connection the way a goaway would; the pool opens a fresh one.
                _accepting = false;
                return false;
            }

            call.StreamId = id;
            call.Connection = this;
            _pending.Add(id, call);
            call.AddReference();
            // Queued under the lock so stream ids reach the wire in increasing order, as the server requires.
            _outbound.Writer.TryWrite(new Outbound(FrameType.Request, FrameFlags.EndStream, id, call, 0) { Payload = call.Request });
            return true;
        }
    }

    /// <summary>The deadline or the caller ended a call: forget it and tell the server to stop working on it.</summary>
    public void Abandon(ClientCall call, StatusCode code)
    {
        bool closeNow;
        bool freed;
        lock (_lock)
        {
            if (!_pending.Remove(call.StreamId, out var found) || found != call)
            {
                if (found is not null)
                {
                    _pending[call.StreamId] = found;
                }

                return;
            }

            freed = _pending.Count == _peerMaxConcurrentCalls - 1;
            _outbound.Writer.TryWrite(new Outbound(FrameType.Cancel, FrameFlags.None, call.StreamId, null, (ulong)code));
            closeNow = !_accepting && _pending.Count == 0;
        }

        if (freed)
        {
            SlotFreed?.Invoke();
        }

        if (closeNow)
        {
            Close(null);
        }
        else
        {
            SendInBackground();
        }
    }

    /// <summary>Stops taking calls, lets in-flight ones finish, then closes.</summary>
    public void Drain()
    {
        bool closeNow;
        lock (_lock)
        {
            _accepting = false;
            closeNow = _pending.Count == 0;
        }

        if (closeNow)
        {
            Close(null);
        }
        else
        {
            // It takes no new calls: calls waiting for one of its slots go to another connection instead.
            SlotFreed?.Invoke();
        }
    }

    /// <summary>Closes at once; calls still waiting complete with UNAVAILABLE.</summary>
    public void Close(Exception? error)
    {
        List<ClientCall>? orphans = null;
        uint goAwayLast;
        lock (_lock)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
            _accepting = false;
            goAwayLast = _goAwayLastStreamId;
            if (_pending.Count > 0)
            {
                orphans = [.. _pending.Values];
                _pending.Clear();
            }
        }

        _keepAliveTimer?.Dispose();
        _outbound.Writer.TryComplete();
        ReleaseUnsentIfIdle();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        if (orphans is not null)
        {
            string message = error is null ? $"Connection to {EndPoint} closed before the call was answered." : $"Connection to {EndPoint} lost: {error.Message}";
            foreach (var call in orphans)
            {
                // Above the server's goaway stream id the server promised not to have processed the call.
                call.TryComplete(StatusCode.Unavailable, message, notProcessed: call.StreamId > goAwayLast);
            }
        }

        // Calls waiting in the pool for a slot on this connection must not wait on a connection that is gone.
        SlotFreed?.Invoke();

        if (FittenTelemetry.ClientConnections.Enabled)
        {
            FittenTelemetry.ClientConnections.Add(-1);
        }

        _closed.TrySetResult();
    }

    /// <summary>
    /// A frame waiting to be sent: a request holds a reference on its call (which keeps <see cref="Outbound.Payload"/>
    /// alive) until sent; cancels and pings carry their value. Not shared with the server's queue item on purpose: one type generic over the call would run both
    /// sides' queues on shared generic code, which measured about twice the cost per queued frame for whichever side
    /// a process used second (a service that also calls onward uses both).
    /// </summary>
    private readonly record struct Outbound(FrameType Type, FrameFlags Flags, uint StreamId, ClientCall? Call, ulong Value)
    {
        /// <summary>A request's encoded bytes, captured when queued: a resend encodes into another buffer.</summary>
        public Fitten.Internal.PooledBufferWriter? Payload { get; init; }
    }
}
