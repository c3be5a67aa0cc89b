using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Fitten.Bench.Targets;
using Fitten.Bench.Tracing;

namespace Fitten.Bench.Http.Internal;

/// <summary>
/// One keep-alive HTTP/1.1 connection used by one worker: it writes the pre-encoded request and reads the
/// response just far enough to know its status and where it ends (Content-Length, chunked, or close).
/// Response bodies are skipped, not kept.
/// </summary>
internal sealed partial class HttpConnection : IRequestSender
{
    /// <summary>Initial receive buffer: a typical small response, headers and all, arrives in one read.</summary>
    private const int InitialBufferSize = 16 * 1024;

    /// <summary>Response headers larger than this are treated as a protocol error (Kestrel's own limit is 32 KB).</summary>
    private const int MaxHeaderBytes = 64 * 1024;

    private readonly HttpRequestTemplate _template;
    private readonly EndPoint _endPoint;
    private readonly TimeSpan _connectTimeout;
    private readonly byte[] _traced;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private Socket? _socket;

    public HttpConnection(HttpRequestTemplate template, EndPoint endPoint, TimeSpan connectTimeout)
    {
        _template = template;
        _endPoint = endPoint;
        _connectTimeout = connectTimeout;
        _traced = (byte[])template.Traced.Clone();
    }

    internal static Socket CreateSocket(EndPoint endPoint)
    {
        var socket = endPoint.AddressFamily == AddressFamily.Unspecified
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

        // Requests are small and one at a time: Nagle would only delay them.
        socket.NoDelay = true;
        return socket;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RequestOutcome> SendAsync(TraceContext trace, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null)
        {
            socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                return RequestOutcome.Failure(ErrorKinds.Connect);
            }
        }

        ReadOnlyMemory<byte> request = _template.Plain;
        if (!trace.IsNone)
        {
            trace.WriteTraceParent(_traced.AsSpan(_template.TraceParentOffset));
            request = _traced;
        }

        try
        {
            while (!request.IsEmpty)
            {
                var sent = await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                request = request[sent..];
            }

            return await ReadResponseAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A late response could still arrive and be read as the next one's: this connection is done.
            Close();
            throw;
        }
        catch (SocketException)
        {
            Close();
            return RequestOutcome.Failure(ErrorKinds.Connection);
        }
        catch (ObjectDisposedException)
        {
            Close();
            return RequestOutcome.Failure(ErrorKinds.Connection);
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = CreateSocket(_endPoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await socket.ConnectAsync(_endPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _start = _end = 0;
        return socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }
}
