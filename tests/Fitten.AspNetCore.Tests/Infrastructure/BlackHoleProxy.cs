using System.Net;
using System.Net.Sockets;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to one server that a test can turn into a black hole: while frozen it keeps every
/// connection open and accepts new ones, but drops what either side sends, the way a frozen process or a
/// network that drops packets looks to a peer (nothing is closed, nothing is answered).
/// </summary>
public sealed class BlackHoleProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private volatile bool _frozen;

    public BlackHoleProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>From now on, bytes in either direction are read and dropped; connections stay open.</summary>
    public void Freeze() => _frozen = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_open)
        {
            _open.ForEach(s => s.Dispose());
            _open.Clear();
        }

        await _accepting.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            if (_frozen)
            {
                // A frozen peer's kernel still completes the handshake; nothing more happens on it.
                _ = RelayAsync(client, null);
                continue;
            }

            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            _ = RelayAsync(client, server);
            _ = RelayAsync(server, client);
        }
    }

    private Task RelayAsync(Socket from, Socket? to) => SocketRelay.CopyAsync(from, to, () => _frozen, _stop.Token);
}
