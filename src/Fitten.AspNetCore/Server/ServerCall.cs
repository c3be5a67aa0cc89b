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
    private long _startTimestamp;
    private Activity? _activity;
    private int _cancelReason;

    private ServerCall() => _onHandlerCompleted = OnHandlerCompleted;

    public uint StreamId { get; private set; }

    /// <summary>The request frame's payload, copied out of the receive buffer.</summary>
    public PooledBufferWriter RequestPayload { get; } = new();

    /// <summary>Where the method writes the response message.</summary>
    public PooledBufferWriter ResponseBody { get; } = new();

    public ReadOnlySpan<byte> RequestMessage => RequestPayload.WrittenSpan[_messageOffset..];

    public StatusCode StatusCode { get; private set; }

    public string? StatusMessage { get; private set; }

    /// <summary>The client cancelled: it forgot the stream, so no response is written.</summary>
    public bool ResponseSuppressed => Volatile.Read(ref _cancelReason) == (int)StatusCode.Cancelled;

    public ServerMethod? MethodHandler => _method;

    public override string Method => _method?.FullName ?? string.Empty;

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

        _startTimestamp = Stopwatch.GetTimestamp();
        if (timeoutMicros is { } micros)
        {
            if (micros == 0)
            {
                error = "Deadline exceeded before the call arrived.";
                return StatusCode.DeadlineExceeded;
            }

            var timeout = TimeSpan.FromMicroseconds(Math.Min(micros, (ulong)TimeSpan.FromDays(30).TotalMicroseconds));
            _deadline = DateTime.UtcNow + timeout;
            _cancellation.CancelAfter(timeout);
        }
        else
        {
            _deadline = DateTime.MaxValue;
        }

        return StatusCode.OK;
    }

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

    /// <summary>Runs on the thread pool: start the span, invoke the handler, and finish now or when it completes.</summary>
    public void Execute()
    {
        _activity = StartActivity();
        FittenTelemetry.AddActive(FittenTelemetry.ServerActiveCalls, _method!.ServiceName, _method.Name, 1);
        ValueTask pending;
        try
        {
            pending = _method.InvokeAsync(this);
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
            MapException(exception);
        }

        if (StatusCode != StatusCode.OK)
        {
            ResponseBody.Reset();
        }

        var method = _method!;
        FittenTelemetry.AddActive(FittenTelemetry.ServerActiveCalls, method.ServiceName, method.Name, -1);
        FittenTelemetry.RecordDuration(FittenTelemetry.ServerDuration, method.ServiceName, method.Name, StatusCode, _startTimestamp);
        if (_activity is not null)
        {
            FittenTelemetry.StopActivity(_activity, StatusCode, StatusMessage);
            _activity = null;
        }

        _connection!.OnCallFinished(this);
    }

    private void MapException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                SetStatus(rpc.StatusCode, rpc.Status.Message);
                break;
            case OperationCanceledException when _cancellation.IsCancellationRequested:
                var reason = (StatusCode)Volatile.Read(ref _cancelReason);
                SetStatus(reason == StatusCode.OK ? StatusCode.DeadlineExceeded : reason, reason switch
                {
                    StatusCode.Cancelled => "Call cancelled by the client.",
                    StatusCode.Unavailable => "Connection lost.",
                    _ => "Deadline exceeded.",
                });
                break;
            default:
                // Details stay in the server's log; the client learns only that the handler failed.
                SetStatus(StatusCode.Internal, "Exception was thrown by handler.");
                _connection!.LogHandlerFailed(exception, Method);
                break;
        }
    }

    private Activity? StartActivity()
    {
        if (!FittenTelemetry.Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var parent);
        var activity = FittenTelemetry.Source.StartActivity(_method!.FullName, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", FittenTelemetry.RpcSystem);
            activity.SetTag("rpc.service", _method.ServiceName);
            activity.SetTag("rpc.method", _method.Name);
            if (Baggage is { } baggage)
            {
                var items = DistributedContextPropagator.Current.ExtractBaggage(baggage, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
                {
                    values = null;
                    value = name == "baggage" ? (string?)carrier : null;
                });
                if (items is not null)
                {
                    foreach (var item in items)
                    {
                        activity.AddBaggage(item.Key, item.Value);
                    }
                }
            }
        }

        return activity;
    }

    /// <summary>Clears the call and returns it to the pool. Called by the connection's writer once the response is out.</summary>
    public void Return()
    {
        if (!_cancellation.TryReset())
        {
            _cancellation.Dispose();
            _cancellation = new CancellationTokenSource();
        }

        RequestPayload.Reset();
        ResponseBody.Reset();
        _connection = null;
        _method = null;
        _caller = _traceParent = _traceState = _baggage = _codec = default;
        _hasHeaders = false;
        _headers = null;
        _cancelReason = 0;
        StatusCode = StatusCode.OK;
        StatusMessage = null;
        Pool.Return(this);
    }

    private string? Read((int Offset, int Length) location)
        => location == default ? null : Encoding.UTF8.GetString(RequestPayload.WrittenSpan.Slice(_metadataOffset + location.Offset, location.Length));

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
