using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fitten.Etcd.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to etcd that a test can cut, so one client loses etcd while etcd itself (and the test's
/// own client) carries on: while cut, open connections are closed and new ones are closed as soon as accepted.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpProxy(string targetUrl)
    {
        var uri = new Uri(targetUrl);
        _target = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
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

            if (_cut)
            {
                client.Dispose();
                continue;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
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

            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            _ = RelayAsync(client, server);
            _ = RelayAsync(server, client);
        }
    }

    /// <summary>Copies one direction until either side closes; then closes both.</summary>
    private async Task RelayAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut, stopped, or a side went away.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
