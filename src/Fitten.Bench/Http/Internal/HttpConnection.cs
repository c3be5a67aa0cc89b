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
    private CancellationToken _watchedToken;
    private Socket? _watchedSocket;
    private CancellationTokenRegistration _cancellation;

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

        WatchCancellation(cancellationToken);
        ReadOnlyMemory<byte> request = _template.Plain;
        if (!trace.IsNone)
        {
            trace.WriteTraceParent(_traced.AsSpan(_template.TraceParentOffset));
            request = _traced;
        }

        try
        {
            // Socket calls get no token: a cancellable socket call registers and unregisters per call, which costs
            // more than the request itself on loopback. Cancellation disposes the socket instead (WatchCancellation).
            while (!request.IsEmpty)
            {
                var sent = await socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
                request = request[sent..];
            }

            // Fast path: a small response arrives whole in one read and is parsed without another async layer.
            if (await FillAsync(socket).ConfigureAwait(false) && TryReadBufferedResponse(out var outcome))
            {
                return outcome;
            }

            return await ReadResponseAsync(socket).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Close();
            cancellationToken.ThrowIfCancellationRequested();
            return RequestOutcome.Failure(ErrorKinds.Connection);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // A late response could still arrive and be read as the next one's: this connection is done.
                Close();
            }
        }
    }

    /// <summary>
    /// Arranges for the socket to be closed when <paramref name="cancellationToken"/> is cancelled. The engine
    /// passes the same token request after request (a new one only after a timeout), so this registers once
    /// per connection and token, not once per request.
    /// </summary>
    private void WatchCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken == _watchedToken && _watchedSocket == _socket)
        {
            return;
        }

        _cancellation.Dispose();
        _watchedToken = cancellationToken;
        _watchedSocket = _socket;
        _cancellation = cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), _socket);
    }

    public ValueTask DisposeAsync()
    {
        _cancellation.Dispose();
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
