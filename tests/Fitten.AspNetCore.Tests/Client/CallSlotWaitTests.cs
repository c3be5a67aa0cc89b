using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// A call waiting in the pool for a free call slot (every connection at the server's concurrency limit) must not
/// wait on a connection that is gone: when the connection closes, the waiting call moves on (a new connection, or a
/// clear failure), it does not hang.
/// </summary>
public sealed class CallSlotWaitTests
{
    [Fact]
    public async Task ConnectionAtItsLimitCloses_TheCallWaitingForASlotMovesOn()
    {
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.MaxConcurrentCalls = 1);
        await using var proxy = new TcpProxy(server.EndPoint);
        await using var channel = new FittenChannel(proxy.EndPoint, new FittenChannelOptions { ConnectionsPerEndpoint = 1, Policy = { Retry = { MaxAttempts = 1 } } });
        await channel.InvokeAsync(TestMethods.Echo, [1]); // connected, and the server's limit of 1 is known

        var holding = channel.InvokeAsync(TestMethods.Sleep, "3000").AsTask(); // takes the only slot
        await Task.Delay(200);
        var waiting = channel.InvokeAsync(TestMethods.Echo, [2]).AsTask();      // no deadline: waits for the slot
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        proxy.Cut(); // the connection dies: the slot's call fails, and so must the wait end
        proxy.Restore();

        await Assert.ThrowsAsync<RpcException>(() => holding);
        var ended = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.Same(waiting, ended);
        Assert.Equal([2], await waiting); // on a new connection
    }
}
