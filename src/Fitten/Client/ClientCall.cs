using System.Threading.Tasks.Sources;
using Fitten.Internal;

namespace Fitten.Client;

/// <summary>
/// One outgoing call's state, pooled. It is its own awaitable (<see cref="IValueTaskSource"/>), so awaiting a call
/// allocates no Task. Ownership: the caller holds one reference; a connection's writer holds another from the
/// moment the request is queued until its bytes are copied out. The object returns to the pool when both let go.
/// </summary>
internal sealed class ClientCall : IValueTaskSource
{
    private static readonly ObjectPool<ClientCall> Pool = new(static () => new ClientCall(), Environment.ProcessorCount * 64);

    private ManualResetValueTaskSourceCore<bool> _core;
    private readonly Timer _deadlineTimer;
    private CancellationTokenRegistration _cancellation;
    private CancellationTokenRegistration _inboundCancellation;
    private ServerCallContext? _inbound;
    private int _claimed;
    private int _references;
    private long _deadlineTicks;
    private int _terminal;
    private List<PooledBufferWriter>? _retired;

    private ClientCall()
    {
        // Continuations run on the thread pool: the connection's read loop completes calls and must not run user code.
        _core.RunContinuationsAsynchronously = true;
        _deadlineTimer = new Timer(static state => ((ClientCall)state!).OnDeadlineTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Metadata block and message of the request for the current attempt. A connection's queue item holds the
    /// buffer it was given (see <see cref="BeginEncoding"/>), never this property, so a resend cannot change bytes an
    /// earlier connection has still to write.
    /// </summary>
    public PooledBufferWriter Request { get; private set; } = new();

    /// <summary>The response payload (metadata block and message), copied out of the connection's receive buffer.</summary>
    public PooledBufferWriter Response { get; } = new();

    /// <summary>Trace context headers the propagator injects for the current attempt.</summary>
    public PropagationScratch PropagationScratch { get; } = new();

    public StatusCode StatusCode { get; private set; }

    public string? StatusMessage { get; private set; }

    /// <summary>The server did not process the attempt: safe to send again.</summary>
    public bool NotProcessed { get; private set; }

    /// <summary>Set once the deadline or the caller's token has ended the whole call (not just one attempt); OK while it has not.</summary>
    public StatusCode Terminal => (StatusCode)Volatile.Read(ref _terminal);

    /// <summary>Why <see cref="Terminal"/> ended the call, in words.</summary>
    public string TerminalMessage => Describe(Terminal);

    /// <summary>The connection the current attempt was sent on, if any.</summary>
    public ClientConnection? Connection { get; set; }

    public uint StreamId { get; set; }

    public short Version => _core.Version;

    public static ClientCall Rent()
    {
        var call = Pool.Rent();
        call._references = 1;
        call._terminal = 0;
        call.Request.Reset();
        return call;
    }

    /// <summary>
    /// Arms the deadline (a <see cref="System.Diagnostics.Stopwatch"/> timestamp, <see cref="long.MaxValue"/> for none),
    /// the caller's cancellation, and the cancellation of the call being served, for the whole call.
    /// </summary>
    public void Arm(long deadlineTimestamp, CancellationToken cancellationToken, ServerCallContext? inbound)
    {
        if (deadlineTimestamp != long.MaxValue)
        {
            long left = (long)Math.Ceiling(Math.Max(0, deadlineTimestamp - System.Diagnostics.Stopwatch.GetTimestamp()) * 1000.0 / System.Diagnostics.Stopwatch.Frequency);
            _deadlineTicks = Environment.TickCount64 + left;
            _deadlineTimer.Change(left, Timeout.Infinite);
        }
        else
        {
            _deadlineTicks = long.MaxValue;
        }

        if (inbound is not null && inbound.CancellationToken.CanBeCanceled)
        {
            // The call being served ended (its caller cancelled, its deadline passed, its connection dropped): nobody
            // waits for this call's answer any more, and this call ends for the same reason.
            _inbound = inbound;
            _inboundCancellation = inbound.CancellationToken.UnsafeRegister(static state => ((ClientCall)state!).EndCallAsCancelled(), this);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // A handler usually passes its own token (the inbound call's, or one linked to it): when that is what
            // fired, the inbound call's reason holds here too, not a plain CANCELLED.
            _cancellation = cancellationToken.UnsafeRegister(static state => ((ClientCall)state!).EndCallAsCancelled(), this);
        }
    }

    /// <summary>
    /// Empties <see cref="Request"/> for encoding an attempt. When a connection's writer still holds a reference
    /// (an earlier attempt refused by a goaway, its frame not yet written), that writer owns the old buffer until
    /// it lets go: this attempt gets a fresh one, and the old one is given back when the call returns to the pool.
    /// </summary>
    public void BeginEncoding()
    {
        if (Volatile.Read(ref _references) > 1)
        {
            (_retired ??= []).Add(Request);
            Request = new PooledBufferWriter();
        }

        Request.Reset();
    }

    /// <summary>Readies the awaitable for one attempt.</summary>
    public void BeginAttempt()
    {
        _core.Reset();
        Volatile.Write(ref _claimed, 0);
        NotProcessed = false;
        StatusCode = StatusCode.OK;
        StatusMessage = null;
        Response.Reset();
        Connection = null;
    }

    /// <summary>Takes the right to complete the current attempt; only one completer (response, deadline, cancel, connection loss) wins.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    /// <summary>Completes a claimed attempt.</summary>
    public void Complete(StatusCode code, string? message, bool notProcessed)
    {
        StatusCode = code;
        StatusMessage = message;
        NotProcessed = notProcessed;
        _core.SetResult(true);
    }

    /// <summary>
    /// Ends the attempt just started on <paramref name="connection"/> if the deadline or a cancellation ended the call
    /// while no attempt was armed (while connecting, encoding, or between a refused attempt and the next): the
    /// callback that fired then could not complete an attempt that did not exist yet, or completed one that
    /// <see cref="BeginAttempt"/> has since reset. Whichever of this and a late callback claims first completes it.
    /// </summary>
    public void EndAttemptIfEnded(ClientConnection connection)
    {
        var terminal = Terminal;
        if (terminal == StatusCode.OK)
        {
            return;
        }

        connection.Abandon(this, terminal);
        TryComplete(terminal, Describe(terminal), notProcessed: false);
    }

    /// <summary>Claims and completes the attempt unless another completer already did.</summary>
    public bool TryComplete(StatusCode code, string? message, bool notProcessed)
    {
        if (!TryClaim())
        {
            return false;
        }

        Complete(code, message, notProcessed);
        return true;
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Drops one reference; the last one disarms the call and returns it to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        _deadlineTimer.Change(Timeout.Infinite, Timeout.Infinite);
        Response.Reset();
        Connection = null;
        if (_retired is { Count: > 0 })
        {
            // No writer is left (this was the last reference): the buffers of refused attempts can go back.
            foreach (var buffer in _retired)
            {
                buffer.Release();
            }

            _retired.Clear();
        }

        Pool.Return(this);
    }

    /// <summary>Undoes <see cref="Arm"/>; waits for a cancellation callback already running, so it cannot touch a later use.</summary>
    public void Disarm()
    {
        _deadlineTimer.Change(Timeout.Infinite, Timeout.Infinite);
        _cancellation.Dispose();
        _cancellation = default;
        _inboundCancellation.Dispose();
        _inboundCancellation = default;
        _inbound = null;
    }

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void OnDeadlineTimer()
    {
        // A timer armed for an earlier use of this pooled object may fire late; only act if this use's deadline passed.
        if (Environment.TickCount64 >= Volatile.Read(ref _deadlineTicks))
        {
            EndCall(StatusCode.DeadlineExceeded);
        }
    }

    /// <summary>
    /// The status of a call whose caller's token fired: the reason of the call being served (<paramref name="inbound"/>)
    /// when that is what ended, so a deadline that passed upstream stays DEADLINE_EXCEEDED; otherwise CANCELLED.
    /// </summary>
    public static StatusCode CancelledStatus(ServerCallContext? inbound)
        => inbound is { CancellationToken.IsCancellationRequested: true } ? inbound.CancellationStatus : StatusCode.Cancelled;

    /// <summary>The status message for a call that ended with <paramref name="code"/> before its response came.</summary>
    public static string Describe(StatusCode code) => code switch
    {
        StatusCode.OK => string.Empty,
        StatusCode.DeadlineExceeded => "Deadline exceeded.",
        StatusCode.Unavailable => "The call being served lost its connection.",
        _ => "Call cancelled by the caller.",
    };

    /// <summary>The caller's token or the served call's fired.</summary>
    private void EndCallAsCancelled() => EndCall(CancelledStatus(_inbound));

    private void EndCall(StatusCode code)
    {
        Interlocked.CompareExchange(ref _terminal, (int)code, 0);
        var connection = Connection;
        if (TryClaim())
        {
            connection?.Abandon(this, code);
            Complete(code, Describe(code), notProcessed: false);
        }
    }
}
