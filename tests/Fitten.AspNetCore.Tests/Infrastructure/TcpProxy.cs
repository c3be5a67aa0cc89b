using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to one server that a test can break in the two ways a network breaks:
/// <see cref="Cut"/> closes every relayed connection and refuses new ones until <see cref="Restore"/> (a process
/// that died, a link that reset); <see cref="Freeze"/> keeps every connection open and accepts new ones but drops
/// what either side sends (a frozen process, a network that drops packets: nothing closes, nothing answers).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private volatile bool _frozen;

    public TcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>A relay to the server at <paramref name="targetUrl"/> ("http://host:port").</summary>
    public TcpProxy(string targetUrl)
        : this(new IPEndPoint(IPAddress.Parse(new Uri(targetUrl).Host), new Uri(targetUrl).Port))
    {
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The relay's address as a URL, for clients configured by one.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        CloseAll();
    }

    public void Restore() => _cut = false;

    /// <summary>From now on, bytes in either direction are read and dropped; connections stay open.</summary>
    public void Freeze() => _frozen = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseAll();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void CloseAll()
    {
        lock (_open)
        {
            _open.ForEach(s => s.Dispose());
            _open.Clear();
        }
    }

    private Task AcceptAsync() => SocketRelay.AcceptEachAsync(_listener, OnAcceptedAsync, _stop.Token);

    private async Task OnAcceptedAsync(Socket client)
    {
        if (_cut)
        {
            client.Dispose();
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
            return;
        }

        if (await SocketRelay.ConnectAsync(client, server, _target, _stop.Token))
        {
            _ = RelayAsync(client, server);
            _ = RelayAsync(server, client);
        }
    }

    /// <summary>Copies one direction until either side closes (then closes both); drops the bytes while frozen.</summary>
    private Task RelayAsync(Socket from, Socket? to) => SocketRelay.CopyAsync(from, to, () => _frozen, _stop.Token);
}
