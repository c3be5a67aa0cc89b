using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Fitten.Protocol;
using Fitten.Telemetry;

namespace Fitten.Client;

/// <summary>
/// Calls one Fitten endpoint over a small pool of multiplexed connections. Thread-safe; create one per endpoint
/// and share it. Generated clients call <see cref="InvokeAsync{TRequest, TResponse}"/>.
/// </summary>
public sealed class FittenChannel : ICallInvoker, IAsyncDisposable
{
    private readonly FittenChannelOptions _options;
    private readonly ConnectionPool _pool;
    private readonly string _serverAddress;
    private readonly int _serverPort;

    /// <summary>Creates a channel to <paramref name="endPoint"/>. No connection is made until the first call.</summary>
    public FittenChannel(EndPoint endPoint, FittenChannelOptions? options = null)
    {
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

    /// <summary>
    /// Creates a channel from an address: "host:port", "[::1]:port" or "http://host:port" (the scheme is ignored:
    /// a Fitten endpoint is found by host and port).
    /// </summary>
    public static FittenChannel ForAddress(string address, FittenChannelOptions? options = null)
        => new(FittenAddress.Parse(address), options);

    /// <summary>
    /// Makes a unary call. Completes with the response, or throws <see cref="RpcException"/> with the call's
    /// status (including DEADLINE_EXCEEDED, CANCELLED and UNAVAILABLE). Calls the server refused unprocessed are
    /// sent again on a fresh connection, up to <see cref="FittenChannelOptions.MaxTransparentRetries"/> times.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        long start = Stopwatch.GetTimestamp();
        var activity = StartActivity(method);
        FittenTelemetry.AddActive(FittenTelemetry.ClientActiveCalls, method.ServiceName, method.Name, 1);
        var call = ClientCall.Rent();
        var code = StatusCode.OK;
        string? message = null;
        bool notProcessed = false;
        try
        {
            TimeSpan timeout = options.Timeout ?? method.Timeout ?? _options.DefaultTimeout;
            var codec = method.GetCodec(_options.Codec)
                ?? throw new RpcException(StatusCode.Internal, $"The channel's codec '{_options.Codec!.Name}' cannot carry {method.FullName}.") { NotProcessed = true };
            long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : start + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            call.Arm(timeout, options.CancellationToken);
            for (int attempt = 0; ; attempt++)
            {
                if (call.Terminal != StatusCode.OK)
                {
                    code = call.Terminal;
                    message = code == StatusCode.DeadlineExceeded ? "Deadline exceeded." : "Call cancelled by the caller.";
                    break;
                }

                ClientConnection connection;
                try
                {
                    connection = await _pool.GetAsync(options.CancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex)
                {
                    (code, message, notProcessed) = (ex.StatusCode, ex.Status.Message, true);
                    break;
                }
                catch (OperationCanceledException)
                {
                    (code, message, notProcessed) = (StatusCode.Cancelled, "Call cancelled by the caller.", true);
                    break;
                }

                call.Request.Reset();
                RequestEncoder.Encode(call, method, codec.Request, request, deadline, options, _options.Caller, activity ?? Activity.Current);
                if (call.Request.WrittenCount > connection.PeerMaxFrameSize)
                {
                    code = StatusCode.ResourceExhausted;
                    message = $"Request of {call.Request.WrittenCount} bytes exceeds the server's maximum frame size of {connection.PeerMaxFrameSize} bytes.";
                    notProcessed = true;
                    break;
                }

                call.BeginAttempt();
                if (!connection.TryStart(call))
                {
                    // The connection stopped taking calls between the pick and the start; pick again.
                    if (attempt < _options.MaxTransparentRetries)
                    {
                        continue;
                    }

                    (code, message, notProcessed) = (StatusCode.Unavailable, $"No connection to {EndPoint} takes calls.", true);
                    break;
                }

                if (call.Terminal != StatusCode.OK)
                {
                    // Deadline or cancellation fired while the call was being started; make sure it leaves the connection.
                    connection.Abandon(call, call.Terminal);
                }

                await connection.SendQueuedAsync().ConfigureAwait(false);
                await new ValueTask(call, call.Version).ConfigureAwait(false);
                if (call.NotProcessed && call.Terminal == StatusCode.OK && attempt < _options.MaxTransparentRetries)
                {
                    continue;
                }

                (code, message, notProcessed) = (call.StatusCode, call.StatusMessage, call.NotProcessed);
                break;
            }

            if (code == StatusCode.OK)
            {
                FramePayload.Split(call.Response.WrittenSpan, out _, out var body);
                try
                {
                    return codec.Response.Deserialize(body);
                }
                catch (Exception ex)
                {
                    code = StatusCode.Internal;
                    message = $"Failed to decode the response of {method.FullName}: {ex.Message}";
                }
            }

            throw new RpcException(code, message ?? code.ToString()) { NotProcessed = notProcessed };
        }
        finally
        {
            call.Disarm();
            call.Release();
            FittenTelemetry.AddActive(FittenTelemetry.ClientActiveCalls, method.ServiceName, method.Name, -1);
            FittenTelemetry.RecordDuration(FittenTelemetry.ClientDuration, method.ServiceName, method.Name, code, start);
            if (activity is not null)
            {
                FittenTelemetry.StopActivity(activity, code, message);
            }
        }
    }

    private Activity? StartActivity<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        if (!FittenTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = FittenTelemetry.Source.StartActivity(method.FullName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", FittenTelemetry.RpcSystem);
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.Name);
            activity.SetTag("server.address", _serverAddress);
            activity.SetTag("server.port", _serverPort);
        }

        return activity;
    }

    /// <summary>Stops taking calls, lets calls in flight finish (up to 5 s), and closes the connections.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
