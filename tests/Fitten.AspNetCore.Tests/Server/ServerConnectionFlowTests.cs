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
    public async Task ClientCallsWithoutReading_ServerStopsReadingThenClosesStalledPeer_OthersUnaffected()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(500), logs: logs);
        await using var good = await WellBehavedClient.StartAsync(server);
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
        var payload = new byte[256 * 1024];

        // Send 256 KiB echo requests and never read the answers. Bounded: at most 400 requests (100 MB) or 30 s;
        // a send that blocks (TCP windows full because the server stopped reading) ends the flood.
        var until = DateTime.UtcNow.AddSeconds(30);
        for (uint i = 0; i < 400 && DateTime.UtcNow < until; i++)
        {
            try
            {
                await raw.SendRequestAsync(1 + i, "test.echo/Echo", payload).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception ex) when (ex is TimeoutException or SocketException or ObjectDisposedException)
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
