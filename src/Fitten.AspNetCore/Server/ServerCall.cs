using System.Diagnostics;
using System.Text;
using Fitten.Internal;
using Fitten.Protocol;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// One incoming call, pooled per process. It is the handler's <see cref="ServerCallContext"/> and the thread-pool
/// work item that runs the handler, so dispatching a call allocates nothing once the pool is warm.
/// Owner: the connection from arrival until the response is written, then the pool.
/// </summary>
internal sealed class ServerCall : ServerCallContext, IThreadPoolWorkItem
{
    private static readonly ObjectPool<ServerCall> Pool = new(static () => new ServerCall(), Environment.ProcessorCount * 128);

    // What a pooled call keeps of its buffers between calls: typical messages (well under it) reuse them, while the
    // buffers of a larger one go back, so a burst of big calls leaves at most pool size × 2 × 16 KiB (8 MiB on
    // two cores), not its largest messages, in the pool.
    private const int RetainedBufferSize = 16 * 1024;

    private readonly Action _onHandlerCompleted;
    private CancellationTokenSource _cancellation = new();
    private ValueTask _pendingHandler;
    private ServerConnection? _connection;
    private ServerMethod? _method;
    private int _metadataOffset;
    private int _metadataLength;
    private int _messageOffset;
    private (int Offset, int Length) _caller, _traceParent, _traceState, _baggage, _codec;
    private bool _hasHeaders;
    private Metadata? _headers;
    private DateTime _deadline;
    private long _deadlineTimestamp;
    private int _cancelReason;
    private volatile bool _forgotten;
    private Metadata? _outcomeHeaders;

    /// <summary>Who still needs this call: the connection until its response is out, plus each onward call made from it.</summary>
    private int _holds;

    /// <summary>Set once the handler (the pipeline) has finished: <see cref="ServerCallContext.Current"/> reads null from then on.</summary>
    private volatile bool _handlerDone;

    /// <summary>
    /// An execution context in which <see cref="ServerCallContext.Current"/> is this object, made on its first call
    /// and reused for every later one: setting an AsyncLocal per call would allocate a context each time.
    /// </summary>
    private ExecutionContext? _executionContext;

    private static readonly ContextCallback RunInContext = static state => ((ServerCall)state!).Run();

    private ServerCall() => _onHandlerCompleted = OnHandlerCompleted;

    public uint StreamId { get; private set; }

    /// <summary>The request frame's payload, copied out of the receive buffer.</summary>
    public PooledBufferWriter RequestPayload { get; } = new();

    /// <summary>Where the method writes the response message.</summary>
    public PooledBufferWriter ResponseBody { get; } = new();

    public ReadOnlySpan<byte> RequestMessage => RequestPayload.WrittenSpan[_messageOffset..];

    public StatusCode StatusCode { get; private set; }

    public string? StatusMessage { get; private set; }

    /// <summary>The client sent CANCEL (it forgot the stream) or the connection answered the call itself: the handler's response is not written.</summary>
    public bool ResponseSuppressed => _forgotten;

    public ServerMethod? MethodHandler => _method;

    public override string Method => _method?.FullName ?? string.Empty;

    public override string Service => _method?.ServiceName ?? string.Empty;

    internal override string MethodName => _method?.Name ?? string.Empty;

    internal override long DeadlineTimestamp => _deadlineTimestamp;

    internal override bool IsActive => _method is not null && !_handlerDone;

    internal override StatusCode CancellationStatus => Volatile.Read(ref _cancelReason) is var reason and not 0 ? (StatusCode)reason : StatusCode.DeadlineExceeded;

    /// <summary>The response metadata to write: the outcome's, else what the handler added to <see cref="ServerCallContext.ResponseHeaders"/>.</summary>
    public Metadata? ResponseMetadata => _outcomeHeaders ?? ResponseHeadersOrNull;

    public override DateTime Deadline => _deadline;

    public override CancellationToken CancellationToken => _cancellation.Token;

    public override string? Peer => _connection?.Peer;

    public override string? Caller => Read(_caller);

    public override string? TraceParent => Read(_traceParent);

    public override string? TraceState => Read(_traceState);

    public override string? Baggage => Read(_baggage);

    public override string? Codec => Read(_codec);

    /// <summary>The codec name the caller sent, as UTF-8; empty when it named none (the method's default).</summary>
    internal ReadOnlySpan<byte> CodecUtf8 => _codec == default ? default : RequestPayload.WrittenSpan.Slice(_metadataOffset + _codec.Offset, _codec.Length);

    public override Metadata RequestHeaders => _headers ??= ReadHeaders();

    public static ServerCall Rent(ServerConnection connection, uint streamId)
    {
        var call = Pool.Rent();
        call._connection = connection;
        call.StreamId = streamId;
        call._holds = 1;
        return call;
    }

    /// <summary>
    /// Reads the metadata block of the copied payload: finds the method, the deadline and where each well-known
    /// string sits (materialized only if asked for). Returns a status other than OK when the call must be refused.
    /// </summary>
    public StatusCode Parse(MethodTable methods, FittenLimits limits, out string? error)
    {
        error = null;
        FramePayload.Split(RequestPayload.WrittenSpan, out var metadata, out var message);
        _metadataOffset = FramePayload.MetadataLengthSize;
        _metadataLength = metadata.Length;
        _messageOffset = _metadataOffset + metadata.Length;
        _ = message;
        if (metadata.Length > limits.MaxMetadataSize)
        {
            error = $"Metadata of {metadata.Length} bytes exceeds the limit of {limits.MaxMetadataSize} bytes.";
            return StatusCode.ResourceExhausted;
        }

        ulong? timeoutMicros = null;
        var reader = new MetadataReader(metadata, limits.MaxMetadataEntries);
        ReadOnlySpan<byte> methodName = default;
        bool hasMethod = false;
        while (reader.TryRead(out var entry))
        {
            switch (entry.Kind)
            {
                case MetadataKind.Method:
                    methodName = entry.Value;
                    hasMethod = true;
                    break;
                case MetadataKind.Timeout:
                    timeoutMicros = entry.Number;
                    break;
                case MetadataKind.Caller:
                    _caller = (entry.ValueOffset, entry.Value.Length);
                    break;
                case MetadataKind.TraceParent:
                    _traceParent = (entry.ValueOffset, entry.Value.Length);
                    break;
                case MetadataKind.TraceState:
                    _traceState = (entry.ValueOffset, entry.Value.Length);
                    break;
                case MetadataKind.Baggage:
                    _baggage = (entry.ValueOffset, entry.Value.Length);
                    break;
                case MetadataKind.Codec:
                    _codec = (entry.ValueOffset, entry.Value.Length);
                    break;
                case MetadataKind.Header:
                case MetadataKind.ChainHeader:
                case MetadataKind.Tag:
                    _hasHeaders = true;
                    break;
            }
        }

        if (reader.TooManyEntries)
        {
            error = $"Metadata has more than {limits.MaxMetadataEntries} entries.";
            return StatusCode.ResourceExhausted;
        }

        if (!hasMethod)
        {
            error = "The request names no method.";
            return StatusCode.InvalidArgument;
        }

        _method = methods.Find(methodName);
        if (_method is null)
        {
            error = $"Unknown method '{MethodTable.Printable(methodName)}'.";
            return StatusCode.Unimplemented;
        }

        long now = Stopwatch.GetTimestamp();
        if (timeoutMicros is { } micros)
        {
            if (micros == 0)
            {
                error = "Deadline exceeded before the call arrived.";
                return StatusCode.DeadlineExceeded;
            }

            var timeout = TimeSpan.FromMicroseconds(Math.Min(micros, (ulong)TimeSpan.FromDays(30).TotalMicroseconds));
            _deadline = DateTime.UtcNow + timeout;
            _deadlineTimestamp = now + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            _cancellation.CancelAfter(timeout);
        }
        else
        {
            _deadline = DateTime.MaxValue;
            _deadlineTimestamp = long.MaxValue;
        }

        return StatusCode.OK;
    }

    /// <summary>The <see cref="Marshaller{T}"/> of the call's response in the codec the caller chose; set before the pipeline runs.</summary>
    public object? ResponseMarshaller { get; set; }

    internal override Exception? EncodeResponse<TResponse>(TResponse response)
    {
        try
        {
            ResponseBody.Reset();
            ((Marshaller<TResponse>)ResponseMarshaller!).Serialize(response, ResponseBody);
            return null;
        }
        catch (Exception ex)
        {
            ResponseBody.Reset();
            return ex;
        }
    }

    /// <summary>Response metadata an outcome carried (a stage's, or the handler's own).</summary>
    public void SetResponseHeaders(Metadata? headers) => _outcomeHeaders = headers;

    /// <summary>Sets the call's outcome (for statuses other than OK the response message is dropped).</summary>
    public void SetStatus(StatusCode code, string? message)
    {
        StatusCode = code;
        StatusMessage = message;
    }

    /// <summary>
    /// Cancels the handler's token; <paramref name="reason"/> becomes the status if the handler gives up. The
    /// token flips at once; its callbacks run on the thread pool, so the caller (the read loop, holding the
    /// connection's lock) never runs handler code.
    /// </summary>
    public void Cancel(StatusCode reason)
    {
        Interlocked.CompareExchange(ref _cancelReason, (int)reason, 0);
        var callbacks = _cancellation.CancelAsync();
        if (!callbacks.IsCompleted)
        {
            // A handler's callback that throws must not surface as an unobserved task exception.
            callbacks.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The client sent CANCEL for <paramref name="reason"/> (its caller cancelled or its deadline passed) and forgot
    /// the stream: cancels like <see cref="Cancel"/> and writes no response.
    /// </summary>
    public void CancelByClient(StatusCode reason)
    {
        _forgotten = true;
        Cancel(reason);
    }

    /// <summary>
    /// The connection answered this call itself (it closed before the handler ended): the handler's outcome is not
    /// written. False when nothing was to be written anyway (the client had cancelled). Called under the connection's lock.
    /// </summary>
    public bool SuppressResponse()
    {
        if (_forgotten)
        {
            return false;
        }

        _forgotten = true;
        return true;
    }

    /// <summary>
    /// Runs on the thread pool (queued without capturing a context): runs the method's pipeline with this call as
    /// the ambient <see cref="ServerCallContext.Current"/>, and finishes now or when the pipeline completes.
    /// </summary>
    public void Execute()
    {
        if (_executionContext is { } context)
        {
            ExecutionContext.Run(context, RunInContext, this);
            return;
        }

        // First use of this pooled object: the work item runs in the default context, so the captured one holds
        // this call and nothing else. The thread pool restores the default context after the work item.
        SetCurrent(this);
        _executionContext = ExecutionContext.Capture();
        Run();
    }

    private void Run()
    {
        ValueTask pending;
        try
        {
            pending = _method!.InvokeAsync(this);
        }
        catch (Exception ex)
        {
            Finish(ex);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(pending);
        }
        else
        {
            _pendingHandler = pending;
            pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onHandlerCompleted);
        }
    }

    private void OnHandlerCompleted()
    {
        var pending = _pendingHandler;
        _pendingHandler = default;
        Complete(pending);
    }

    private void Complete(ValueTask pending)
    {
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Finish(ex);
            return;
        }

        Finish(null);
    }

    private void Finish(Exception? exception)
    {
        if (exception is not null)
        {
            // Failures outside the pipeline (encoding the response, a codec without JSON metadata): the same mapping.
            var outcome = Pipeline.ServerExceptions.ToOutcome<Codecs.Unit>(exception, this, Method, _connection!.Logger);
            SetStatus(outcome.Status.Code, outcome.Status.Message);
        }

        if (StatusCode != StatusCode.OK)
        {
            ResponseBody.Reset();
        }

        _handlerDone = true;
        _connection!.OnCallFinished(this);
    }

    /// <summary>
    /// The connection is done with the call (its response is out, or it was refused). The call goes back to the pool
    /// once onward calls made from it (<see cref="Retain"/>) are done too.
    /// </summary>
    public void Return() => Release();

    internal override void Retain() => Interlocked.Increment(ref _holds);

    internal override void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            Recycle();
        }
    }

    /// <summary>Clears the call and returns it to the pool.</summary>
    private void Recycle()
    {
        if (!_cancellation.TryReset())
        {
            _cancellation.Dispose();
            _cancellation = new CancellationTokenSource();
        }

        // The response is written (or the call refused), so no one reads these buffers any more.
        RequestPayload.Trim(RetainedBufferSize);
        ResponseBody.Trim(RetainedBufferSize);
        _connection = null;
        _method = null;
        _caller = _traceParent = _traceState = _baggage = _codec = default;
        _hasHeaders = false;
        _headers = null;
        _outcomeHeaders = null;
        ResponseMarshaller = null;
        ResetResponseHeaders();
        _cancelReason = 0;
        _forgotten = false;
        _handlerDone = false;
        StatusCode = StatusCode.OK;
        StatusMessage = null;
        Pool.Return(this);
    }

    private string? Read((int Offset, int Length) location)
        => location == default ? null : Encoding.UTF8.GetString(RequestPayload.WrittenSpan.Slice(_metadataOffset + location.Offset, location.Length));

    /// <summary>Copies this call's tags and chain headers into an onward request as bytes, without decoding them.</summary>
    internal override void WriteChainEntries(ref MetadataWriter writer, Metadata? own)
    {
        if (!_hasHeaders)
        {
            return;
        }

        var reader = new MetadataReader(RequestPayload.WrittenSpan.Slice(_metadataOffset, _metadataLength), int.MaxValue);
        while (reader.TryRead(out var entry))
        {
            if (entry.Kind is MetadataKind.Tag or MetadataKind.ChainHeader && !SetByOnwardCall(own, entry.Key, entry.Kind))
            {
                writer.WritePair(entry.Kind, entry.Key, entry.Value);
            }
        }
    }

    private static bool SetByOnwardCall(Metadata? own, ReadOnlySpan<byte> key, MetadataKind kind)
    {
        if (own is null)
        {
            return false;
        }

        var entryKind = kind == MetadataKind.Tag ? MetadataEntryKind.Tag : MetadataEntryKind.ChainHeader;
        foreach (var entry in own)
        {
            if (entry.Kind == entryKind && Ascii.EqualsIgnoreCase(key, entry.Key))
            {
                return true;
            }
        }

        return false;
    }

    private Metadata ReadHeaders()
    {
        var headers = new Metadata();
        if (!_hasHeaders)
        {
            return headers;
        }

        var reader = new MetadataReader(RequestPayload.WrittenSpan.Slice(_metadataOffset, _metadataLength), int.MaxValue);
        while (reader.TryRead(out var entry))
        {
            var kind = entry.Kind switch
            {
                MetadataKind.Header => MetadataEntryKind.Header,
                MetadataKind.ChainHeader => MetadataEntryKind.ChainHeader,
                MetadataKind.Tag => MetadataEntryKind.Tag,
                _ => (MetadataEntryKind)(-1),
            };
            if (kind >= 0)
            {
                headers.Add(Encoding.UTF8.GetString(entry.Key), Encoding.UTF8.GetString(entry.Value), kind);
            }
        }

        return headers;
    }
}
