using Fitten.Protocol;

namespace Fitten.Client;

internal sealed partial class ClientConnection
{
    private readonly long _keepAliveIntervalMs;
    private readonly long _keepAliveTimeoutMs;
    private Timer? _keepAliveTimer;

    /// <summary><see cref="Environment.TickCount64"/> when bytes last came from the server.</summary>
    private long _lastReceivedMs;

    /// <summary>When the unanswered keepalive PING went out; 0 while none is outstanding.</summary>
    private long _pingSentMs;

    /// <summary>
    /// Checks a few times per interval (and per timeout) so a dead peer is noticed within about
    /// interval + timeout of its last byte; one timer per connection, no allocation per check.
    /// </summary>
    private void StartKeepAlive()
    {
        Volatile.Write(ref _lastReceivedMs, Environment.TickCount64);
        if (_keepAliveIntervalMs <= 0)
        {
            return;
        }

        long period = Math.Max(25, Math.Min(_keepAliveIntervalMs, _keepAliveTimeoutMs) / 4);
        _keepAliveTimer = new Timer(static state => ((ClientConnection)state!).OnKeepAliveTimer(), this, period, period);
    }

    /// <summary>Any bytes from the server show it is alive, an answer to the ping or not.</summary>
    private void OnBytesReceived()
    {
        Volatile.Write(ref _lastReceivedMs, Environment.TickCount64);
        if (Volatile.Read(ref _pingSentMs) != 0)
        {
            Volatile.Write(ref _pingSentMs, 0);
        }
    }

    private void OnKeepAliveTimer()
    {
        if (IsClosed)
        {
            _keepAliveTimer?.Dispose();
            return;
        }

        long now = Environment.TickCount64;
        long sent = Volatile.Read(ref _pingSentMs);
        if (sent != 0)
        {
            if (now - sent >= _keepAliveTimeoutMs)
            {
                Close(new TimeoutException($"no answer to a keepalive ping within {_keepAliveTimeoutMs} ms"));
            }

            return;
        }

        if (now - Volatile.Read(ref _lastReceivedMs) >= _keepAliveIntervalMs)
        {
            Volatile.Write(ref _pingSentMs, now);
            Post(new Outbound(FrameType.Ping, FrameFlags.None, 0, null, (ulong)now));
        }
    }
}
