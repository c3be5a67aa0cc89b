using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Fitten.Bench.Targets;
using Fitten.Bench.Tracing;
using Fitten.Client;

namespace Fitten.Bench.Rpc;

/// <summary>
/// A Fitten RPC method, called through the real Fitten client: one <see cref="FittenChannel"/> shared by every
/// worker, so the load is multiplexed over few connections exactly as a Fitten service calls another. The request
/// bytes are sent as given and the response is read and dropped without being decoded.
/// </summary>
public sealed class RpcTarget : ILoadTarget, IAsyncDisposable
{
    private readonly Method<byte[], byte[]> _method;
    private readonly byte[] _request;
    private readonly FittenChannel _channel;

    /// <summary>Creates the target. No connection is made until <see cref="ProbeAsync"/> or the first request.</summary>
    /// <exception cref="ArgumentException">The service or method name is not valid.</exception>
    public RpcTarget(RpcTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _method = new Method<byte[], byte[]>(options.Service, options.Method, BytesMarshaller.Instance, DiscardingMarshaller.Instance);
        _request = options.Request.ToArray();
        _channel = new FittenChannel(options.EndPoint, new FittenChannelOptions { ConnectionsPerEndpoint = options.Connections });
    }

    /// <summary>The options the target was created with.</summary>
    public RpcTargetOptions Options { get; }

    /// <inheritdoc />
    public string Description => $"rpc {Options.EndPoint} {_method.FullName}";

    /// <inheritdoc />
    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        // A plain TCP connect: it tells a wrong host or port in a second, and calls nothing on the server.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(Options.EndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new TargetUnreachableException($"cannot connect to {Options.EndPoint}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public IRequestSender CreateSender() => new Sender(this);

    /// <summary>Closes the shared channel.</summary>
    public ValueTask DisposeAsync() => _channel.DisposeAsync();

    private sealed class Sender(RpcTarget target) : IRequestSender
    {
        public async ValueTask<RequestOutcome> SendAsync(TraceContext trace, CancellationToken cancellationToken)
        {
            // A sampled request carries the engine's trace id: the client propagates Activity.Current as traceparent.
            using var activity = trace.IsNone ? null : StartTraceActivity(trace);
            try
            {
                await target._channel.InvokeAsync(target._method, target._request, new CallOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
                return RequestOutcome.Success;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException ex)
            {
                // Not processed means no server answered (refused, unreachable): a failure without a response.
                return ex.NotProcessed && ex.StatusCode == StatusCode.Unavailable
                    ? RequestOutcome.Failure(ErrorKinds.Connect)
                    : RequestOutcome.ErrorResponse(ErrorKinds.ForRpcStatus((int)ex.StatusCode));
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static Activity StartTraceActivity(TraceContext trace)
        {
            var activity = new Activity("fitten-bench");
            activity.SetParentId(
                ActivityTraceId.CreateFromString(trace.TraceId),
                ActivitySpanId.CreateFromString(trace.SpanId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)),
                ActivityTraceFlags.Recorded);
            return activity.Start();
        }
    }

    /// <summary>Reads a response without decoding or copying it: the load generator only needs to know it arrived.</summary>
    private sealed class DiscardingMarshaller : Marshaller<byte[]>
    {
        public static readonly DiscardingMarshaller Instance = new();

        public override string CodecName => "bytes";

        public override void Serialize(byte[] value, IBufferWriter<byte> output) => output.Write(value);

        public override byte[] Deserialize(ReadOnlySpan<byte> payload) => [];
    }
}
