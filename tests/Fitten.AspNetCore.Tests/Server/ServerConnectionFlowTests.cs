using System.Net.Sockets;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>How a connection ends and how it holds up against a client that sends without reading.</summary>
public class ServerConnectionFlowTests
{
    [Fact]
    public async Task ClientHalfCloses_CallsInFlightStillAnswered_ThenConnectionCloses()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
        await raw.SendRequestAsync(1, "test.echo/Delay", "300"u8);
        await FittenRpcServerTests.WaitUntil(() => server.StartedCalls == 1);

        raw.ShutdownSend();

        var response = await raw.ReadFrameAsync(FrameType.Response);
        Assert.NotNull(response);
        Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
        Assert.Equal("300"u8.ToArray(), response.Message);
        Assert.True(await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ClientSendsWithoutReading_ServerStopsReadingThenClosesStalledPeer_OthersUnaffected()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(500), logs: logs);
        await using var good = await WellBehavedClient.StartAsync(server);
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
        var ping = RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8]);
        var burst = Enumerable.Repeat(ping, 1000).SelectMany(f => f).ToArray();

        // Flood pings and never read the pongs. Bounded: at most 2,000 bursts (36 MB) or 20 s; each send may block
        // once TCP windows fill, which is the server's backpressure working.
        var until = DateTime.UtcNow.AddSeconds(20);
        for (int i = 0; i < 2000 && DateTime.UtcNow < until; i++)
        {
            try
            {
                await raw.SendAsync(burst).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception ex) when (ex is TimeoutException or SocketException or ObjectDisposedException)
            {
                break;
            }

            if (logs.Records.Any(r => r.Message.Contains("StalledPeer", StringComparison.Ordinal)))
            {
                break;
            }
        }

        await FittenRpcServerTests.WaitUntil(() => logs.Records.Any(r => r.Message.Contains("StalledPeer", StringComparison.Ordinal)), 15_000);
        Assert.True(await raw.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
        await good.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task OversizedMetadata_ThroughClient_ResourceExhaustedOnce_NotRetried()
    {
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.MaxMetadataSize = 1024);
        await using var channel = server.CreateChannel();
        var headers = new Metadata().Add("big", new string('x', 4000));

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Echo, [1], new CallOptions { Headers = headers }).AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.False(ex.NotProcessed);
        Assert.Equal(0, server.StartedCalls);
        Assert.Equal([2], await channel.InvokeAsync(TestMethods.Echo, [2]));
    }
}
