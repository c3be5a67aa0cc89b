using System.Text;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>Calls through the real client to a real Kestrel server on loopback.</summary>
public class FittenRpcServerTests
{
    [Fact]
    public async Task Invoke_Echo_ReturnsSameBytes()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var reply = await channel.InvokeAsync(TestMethods.Echo, payload);

        Assert.Equal(payload, reply);
    }

    [Fact]
    public async Task Invoke_LargeMessage_RoundTrips()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var payload = new byte[1024 * 1024];
        Random.Shared.NextBytes(payload);
        var reply = await channel.InvokeAsync(TestMethods.Echo, payload);

        Assert.Equal(payload, reply);
    }

    [Fact]
    public async Task Invoke_ConcurrentCallsOnOneConnection_AnsweredOutOfOrder()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel(o => o.ConnectionsPerEndpoint = 1);

        // Sent slowest first; if calls were served in order, the fast one would finish last.
        var slow = channel.InvokeAsync(TestMethods.Delay, "600").AsTask();
        await Task.Delay(50);
        var fast = channel.InvokeAsync(TestMethods.Delay, "1").AsTask();

        var first = await Task.WhenAny(slow, fast);
        Assert.Same(fast, first);
        Assert.Equal("1", await fast);
        Assert.Equal("600", await slow);
        Assert.Equal(1, channel.OpenConnections);
    }

    [Fact]
    public async Task Invoke_ManyConcurrentCalls_EachGetsItsOwnAnswer()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var calls = Enumerable.Range(0, 2000).Select(i => channel.InvokeAsync(TestMethods.Echo, BitConverter.GetBytes(i)).AsTask()).ToArray();
        var replies = await Task.WhenAll(calls);

        for (int i = 0; i < replies.Length; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(replies[i]));
        }
    }

    [Fact]
    public async Task Invoke_UnknownMethod_ThrowsUnimplemented()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();
        var missing = new Method<byte[], byte[]>("test.echo", "Missing", BytesMarshaller.Instance, BytesMarshaller.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(missing, [1]).AsTask());

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Contains("test.echo/Missing", ex.Status.Message);
    }

    [Fact]
    public async Task Invoke_UndecodableRequest_ThrowsInvalidArgumentNamingTheMethod()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Strict, "x").AsTask());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("test.echo/Strict", ex.Status.Message);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_InternalWithoutDetails_AndServerKeepsServing()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Throw, "x").AsTask());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Message);
        Assert.Equal([7], await channel.InvokeAsync(TestMethods.Echo, [7]));
    }

    [Theory]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.FailedPrecondition)]
    public async Task Invoke_HandlerThrowsRpcException_ClientSeesThatStatus(StatusCode code)
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Fail, code.ToString()).AsTask());

        Assert.Equal(code, ex.StatusCode);
        Assert.Equal("failed on purpose", ex.Status.Message);
    }

    [Fact]
    public async Task Invoke_WithMetadata_ServerSeesCallerHeadersTagsAndDeadline()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel(o => o.Caller = "shop.gateway");
        var headers = new Metadata()
            .Add("tenant", "acme")
            .Add("lane", "canary", MetadataEntryKind.Tag)
            .Add("request-id", "r-1", MetadataEntryKind.ChainHeader);

        var seen = await channel.InvokeAsync(TestMethods.Inspect, "", new CallOptions { Headers = headers, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal("caller=shop.gateway;deadline=set;headers=Header:tenant=acme,Tag:lane=canary,ChainHeader:request-id=r-1;peer=set", seen);
    }

    [Fact]
    public async Task Invoke_NoTimeout_ServerSeesNoDeadline()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var seen = await channel.InvokeAsync(TestMethods.Inspect, "");

        Assert.StartsWith("caller=;deadline=none;headers=;", seen);
    }

    [Fact]
    public async Task Invoke_PastDeadline_ThrowsDeadlineExceeded_AndServerHandlerIsCancelled()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Delay, "5000", CallOptions.WithTimeout(TimeSpan.FromMilliseconds(200))).AsTask());

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        // The handler's token fires (deadline carried in metadata, plus the client's cancel frame), so it never completes.
        await Task.Delay(500);
        Assert.Equal(1, server.StartedCalls);
        Assert.Equal(0, server.CompletedCalls);
    }

    [Fact]
    public async Task Invoke_CallerCancels_ThrowsCancelled_AndServerHandlerIsCancelled()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();
        using var cts = new CancellationTokenSource();

        var call = channel.InvokeAsync(TestMethods.Delay, "5000", new CallOptions { CancellationToken = cts.Token }).AsTask();
        await WaitUntil(() => server.StartedCalls == 1);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await Task.Delay(300);
        Assert.Equal(0, server.CompletedCalls);
        // The connection is still good for the next call.
        Assert.Equal([1], await channel.InvokeAsync(TestMethods.Echo, [1]));
    }

    [Fact]
    public async Task Invoke_AlreadyCancelledToken_ThrowsCancelledWithoutReachingServer()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Delay, "100", new CallOptions { CancellationToken = cts.Token }).AsTask());

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Invoke_ServerDown_FailsFastWithUnavailable_ThenRecoversWhenServerReturns()
    {
        // Find a free port, then leave it closed.
        int port;
        await using (var probe = await FittenTestServer.StartAsync())
        {
            port = probe.Address.Port;
        }

        await using var channel = new Fitten.Client.FittenChannel(
            new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port),
            new Fitten.Client.FittenChannelOptions { InitialReconnectBackoff = TimeSpan.FromMilliseconds(100), MaxReconnectBackoff = TimeSpan.FromMilliseconds(200) });

        var down = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Echo, [1]).AsTask());
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.True(down.NotProcessed);

        await using var server = await FittenTestServer.StartAsync(port: port);
        byte[]? reply = null;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (reply is null && DateTime.UtcNow < until)
        {
            try
            {
                reply = await channel.InvokeAsync(TestMethods.Echo, [2]);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal([2], reply);
    }

    [Fact]
    public async Task Invoke_ServerKilledMidCall_ThrowsUnavailable()
    {
        var server = await FittenTestServer.StartAsync(o => o.DrainTimeout = TimeSpan.Zero);
        await using var channel = server.CreateChannel();
        var call = channel.InvokeAsync(TestMethods.Delay, "10000").AsTask();
        await WaitUntil(() => server.StartedCalls == 1);

        await server.DisposeAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Invoke_RequestLargerThanServerMaxFrame_ThrowsResourceExhaustedBeforeSending()
    {
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.MaxFrameSize = 64 * 1024);
        await using var channel = server.CreateChannel();
        // The first call learns the server's settings.
        await channel.InvokeAsync(TestMethods.Echo, [1]);
        await Task.Delay(100);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(TestMethods.Echo, new byte[100 * 1024]).AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal([3], await channel.InvokeAsync(TestMethods.Echo, [3]));
    }

    [Fact]
    public async Task DisposeChannel_CallInFlight_FinishesThenConnectionsClose()
    {
        await using var server = await FittenTestServer.StartAsync();
        var channel = server.CreateChannel();
        var call = channel.InvokeAsync(TestMethods.Delay, "300").AsTask();
        await WaitUntil(() => server.StartedCalls == 1);

        await channel.DisposeAsync();

        Assert.Equal("300", await call);
        Assert.Equal(0, channel.OpenConnections);
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(10);
        }
    }
}
