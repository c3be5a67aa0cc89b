using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Fitten.Pipeline;
using Fitten.Pipeline.Stages;
using Fitten.Protocol;
using Fitten.Telemetry;

namespace Fitten.Client;

/// <summary>
/// Calls one Fitten endpoint over a small pool of multiplexed connections. Thread-safe; create one per endpoint
/// and share it. As an <see cref="ICallInvoker"/> it runs calls through its <see cref="Pipeline"/> (telemetry,
/// deadline, the interceptors in <see cref="FittenChannelOptions.Interceptors"/>); as an
/// <see cref="IClientTransport"/> it is that pipeline's last stage: connection pool, encode, send, complete.
/// </summary>
public sealed class FittenChannel : ICallInvoker, IClientTransport, IResponseTransport, IAsyncDisposable
{
    private readonly FittenChannelOptions _options;
    private readonly ConnectionPool _pool;
    private readonly string _serverAddress;
    private readonly int _serverPort;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory? _loggerFactory;
    private ClientPipeline? _pipeline;

    /// <summary>
    /// Creates a channel to <paramref name="endPoint"/>. No connection is made until the first call. Client governance
    /// logs to <paramref name="loggerFactory"/> (circuit breaker transitions).
    /// </summary>
    public FittenChannel(EndPoint endPoint, FittenChannelOptions? options = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
        ArgumentNullException.ThrowIfNull(endPoint);
        _options = options ?? new FittenChannelOptions();
        _options.Validate();
        _pool = new ConnectionPool(endPoint, _options);
        (_serverAddress, _serverPort) = endPoint switch
        {
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            _ => (endPoint.ToString() ?? string.Empty, 0),
        };
    }

    /// <summary>The endpoint this channel calls.</summary>
    public EndPoint EndPoint => _pool.EndPoint;

    /// <summary>Connections open right now.</summary>
    public int OpenConnections => _pool.OpenConnections;

    /// <summary>The pipeline <see cref="InvokeAsync{TRequest, TResponse}"/> runs calls through, ending in this channel.</summary>
    public ClientPipeline Pipeline => _pipeline ?? CreatePipeline();

    /// <summary>
    /// Creates a channel from an address: "host:port", "[::1]:port" or "http://host:port" (the scheme is ignored:
    /// a Fitten endpoint is found by host and port).
    /// </summary>
    public static FittenChannel ForAddress(string address, FittenChannelOptions? options = null)
        => new(FittenAddress.Parse(address), options, loggerFactory: null);

    /// <summary>
    /// Makes a unary call through <see cref="Pipeline"/>. Completes with the response, or throws
    /// <see cref="RpcException"/> with the call's status (including DEADLINE_EXCEEDED, CANCELLED and UNAVAILABLE).
    /// </summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        => Pipeline.InvokeAsync(method, request, options);

    /// <summary>
    /// Sends one call to this endpoint and completes with its outcome; never throws for a failed call. The call ends
    /// at its <see cref="OutgoingCall{TRequest, TResponse}.Deadline"/>, on its token, or when the call being served
    /// is cancelled. One attempt: a call the server refused unprocessed (goaway, a busy connection) ends not
    /// processed, and the pipeline's retry stage sends it again (on another connection, the refusing one no longer
    /// takes calls).
    /// </summary>
    public ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call)
        => SendAsync<TRequest, TResponse, CallOutcome<TResponse>, AsOutcome<TResponse>>(call, governance: null);

    /// <summary>The same call ending in the caller's response, a failure thrown as <see cref="RpcException"/> (the pipeline's shortcut).</summary>
    ValueTask<TResponse> IResponseTransport.SendForResponseAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, InlineGovernance<TRequest, TResponse>? governance)
        => SendAsync<TRequest, TResponse, TResponse, AsResponse<TResponse>>(call, governance);

    /// <summary>
    /// The transport's one body, for both shapes of its end (<typeparamref name="TShape"/>: the outcome as a value, or
    /// the response with a failure thrown), with the method's breaker and retry done inline on the pipeline's shortcut
    /// (<paramref name="governance"/>; see <see cref="InlineGovernance{TRequest, TResponse}"/>). Measured: at 64
    /// callers a second step from outcome to response (an async method, or a pooled
    /// <see cref="IValueTaskSource{TResult}"/>) cost 4–15% of the client's calls/s, and so does each stage's.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> SendAsync<TRequest, TResponse, TResult, TShape>(OutgoingCall<TRequest, TResponse> call, InlineGovernance<TRequest, TResponse>? governance)
        where TShape : IOutcomeShape<TResponse, TResult>
    {
        var method = call.Method;
        var codec = method.GetCodec(call.Options.Codec ?? _options.Codec);
        if (codec is null)
        {
            return TShape.Failure(StatusCode.Internal, $"The codec '{(call.Options.Codec ?? _options.Codec)!.Name}' cannot carry {method.FullName}.", notProcessed: true, responseHeaders: null);
        }

        var breaker = governance?.Breaker;
        var retry = governance?.Retry;
        int probe = 0;
        long started = 0;
        retry?.OnCall();
        if (breaker is not null)
        {
            if (!breaker.TryEnter(out probe))
            {
                return TShape.From(CircuitBreakerStage.Rejected(breaker, method));
            }

            started = Stopwatch.GetTimestamp();
        }

        var activity = TagClientSpan();
        var inbound = call.Inbound;
        var pending = ClientCall.Rent();
        var code = StatusCode.OK;
        string? message = null;
        bool notProcessed = false;
        bool callersOwn = false;
        CallOutcome<TResponse> failed;
        try
        {
            pending.Arm(call.Deadline, call.Options.CancellationToken, inbound);

            // One attempt (the pipeline's retry stage makes any other): a connection, the request queued on it, the
            // answer. A call that cannot start ends not processed, as does one the server refused unprocessed.
            AttemptFailure? failure = pending.Terminal != StatusCode.OK ? new(pending.Terminal, pending.TerminalMessage, false) : null;
            ClientConnection? connection = null;
            if (failure is null)
            {
                try
                {
                    connection = await _pool.GetAsync(call.Deadline, call.Options.CancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex)
                {
                    failure = new(ex.StatusCode, ex.Status.Message, true);
                }
                catch (OperationCanceledException)
                {
                    var cancelled = ClientCall.CancelledStatus(inbound);
                    failure = new(cancelled, ClientCall.Describe(cancelled), true);
                }
                catch (ObjectDisposedException)
                {
                    failure = new(StatusCode.Unavailable, $"The channel to {EndPoint} is disposed.", true);
                }
            }

            if (connection is not null)
            {
                failure = Start(pending, connection, call, codec.Request, activity);
            }

            if (failure is { } refused)
            {
                (code, message, notProcessed, callersOwn) = (refused.Code, refused.Message, refused.NotProcessed, refused.CallersOwn);
            }
            else
            {
                await connection!.SendQueuedAsync().ConfigureAwait(false);
                await new ValueTask(pending, pending.Version).ConfigureAwait(false);
                (code, message, notProcessed) = (pending.StatusCode, pending.StatusMessage, pending.NotProcessed);
            }

            var responseHeaders = callersOwn ? new Metadata().Add(Resilience.FittenHeaders.RequestTooLarge, "true")
                : code == StatusCode.OK || pending.Response.WrittenCount > 0 ? ResponseMetadata.Read(pending.Response.WrittenSpan) : null;
            if (code == StatusCode.OK)
            {
                FramePayload.Split(pending.Response.WrittenSpan, out _, out var body);
                TResponse response;
                try
                {
                    response = codec.Response.Deserialize(body);
                }
                catch (Exception ex)
                {
                    code = StatusCode.Internal;
                    message = $"Failed to decode the response of {method.FullName}: {ex.Message}";
                    breaker?.OnOutcome(code, false, Stopwatch.GetTimestamp() - started, probe);
                    return TShape.Failure(code, message, notProcessed: false, responseHeaders);
                }

                breaker?.OnOutcome(StatusCode.OK, false, Stopwatch.GetTimestamp() - started, probe);
                return TShape.Success(response, responseHeaders);
            }

            failed = CallOutcome<TResponse>.Failure(code, message ?? Status.CodeName(code), notProcessed, responseHeaders);
            breaker?.OnOutcome(failed, Stopwatch.GetTimestamp() - started, probe);
            if (retry is null || !retry.MayRetry(failed, call))
            {
                return TShape.From(failed);
            }
        }
        finally
        {
            pending.Disarm();
            pending.Release();
        }

        // Only a failed attempt that may be retried gets here, its call object back in the pool: the retry stage
        // takes over, and its attempts go through the chain below it (breaker, transport).
        return TShape.From(await retry!.RetryAsync(call, failed).ConfigureAwait(false));
    }

    /// <summary>Encodes the request and starts the call on <paramref name="connection"/>; the failure when it cannot (nothing was sent).</summary>
    private AttemptFailure? Start<TRequest, TResponse>(ClientCall pending, ClientConnection connection, in OutgoingCall<TRequest, TResponse> call, Marshaller<TRequest> marshaller, Activity? activity)
    {
        var method = call.Method;
        var inbound = call.Inbound;
        pending.BeginEncoding();
        try
        {
            RequestEncoder.Encode(pending, method, marshaller, call.Request, call.Deadline, call.Options.Headers, _options.Caller ?? inbound?.Service, inbound, activity, call.Attempt);
        }
        catch (Exception ex)
        {
            // The caller's own request cannot be written (a serializer's limit, a value it rejects).
            return new(StatusCode.Internal, $"Failed to encode the request of {method.FullName}: {ex.Message}", true);
        }

        if (pending.Request.WrittenCount > connection.PeerMaxFrameSize)
        {
            return new(StatusCode.ResourceExhausted, $"Request of {pending.Request.WrittenCount} bytes exceeds the server's maximum frame size of {connection.PeerMaxFrameSize} bytes.", true, CallersOwn: true);
        }

        pending.BeginAttempt();
        if (!connection.TryStart(pending))
        {
            // The connection stopped taking calls between the pick and the start.
            return new(StatusCode.Unavailable, $"No connection to {EndPoint} takes calls.", true);
        }

        pending.EndAttemptIfEnded(connection);
        return null;
    }

    /// <summary>Why an attempt ended before its request went out.</summary>
    private readonly record struct AttemptFailure(StatusCode Code, string? Message, bool NotProcessed, bool CallersOwn = false);

    /// <summary>The current client span (the telemetry stage's), tagged with this endpoint; null when nobody records.</summary>
    private Activity? TagClientSpan()
    {
        var span = FittenTelemetry.RecordingClientSpan;
        span?.SetTag("server.address", _serverAddress);
        span?.SetTag("server.port", _serverPort);

        // The current activity, ours or another's, carries the trace context the request propagates.
        return Activity.Current;
    }

    private ClientPipeline CreatePipeline()
    {
        var pipeline = new ClientPipeline(this, _options.Policy, _options.Interceptors, _loggerFactory);
        return Interlocked.CompareExchange(ref _pipeline, pipeline, null) ?? pipeline;
    }

    /// <summary>Stops taking calls, lets calls in flight finish (up to 5 s), and closes the connections.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
