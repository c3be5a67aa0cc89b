using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// A peer that stops answering without closing (a frozen process, a network that drops packets), seen through a
/// <see cref="TcpProxy"/>: keepalive pings notice it, with or without calls waiting on the connection.
/// </summary>
public sealed class DeadPeerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A server behind a proxy and a channel with short keepalive, connected by one call; then the proxy freezes.</summary>
    private sealed class FrozenPeer(FittenTestServer server, TcpProxy proxy, FittenChannel channel) : IAsyncDisposable
    {
        public FittenChannel Channel => channel;

        public static async Task<FrozenPeer> StartAsync()
        {
            var server = await FittenTestServer.StartAsync();
            var proxy = new TcpProxy(server.EndPoint);
            var channel = new FittenChannel(proxy.EndPoint, new FittenChannelOptions
            {
                KeepAliveInterval = TimeSpan.FromMilliseconds(200),
                KeepAliveTimeout = TimeSpan.FromMilliseconds(500),
            });
            Assert.Equal([1], await channel.InvokeAsync(TestMethods.Echo, [1]));
            proxy.Freeze();
            return new FrozenPeer(server, proxy, channel);
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await proxy.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task FrozenPeer_KeepaliveUnanswered_CallWithoutDeadlineFailsUnavailable()
    {
        await using var peer = await FrozenPeer.StartAsync();
        var channel = peer.Channel;
        var call = channel.InvokeAsync(TestMethods.Echo, [2]).AsTask(); // no deadline: only keepalive can end it

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Bound));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("keepalive", ex.Status.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FrozenPeer_IdleConnection_ClosedByKeepalive()
    {
        await using var peer = await FrozenPeer.StartAsync();
        var channel = peer.Channel;

        // No call is waiting: the connection is still found dead, so the next call does not meet it first.
        var until = DateTime.UtcNow + Bound;
        while (channel.OpenConnections > 0)
        {
            Assert.True(DateTime.UtcNow < until, "the dead connection was never closed");
            await Task.Delay(50);
        }
    }
}
