using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// The ambient call context across real hops: test → Front (RPC or HTTP/JSON) → Back (RPC), each a Kestrel server
/// on loopback. What Back's handler sees tells what Front's onward call inherited.
/// </summary>
public sealed class CallContextTests : IAsyncLifetime
{
    private HopServers _servers = null!;
    private FittenChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _servers = await HopServers.StartAsync();
        _channel = _servers.FrontChannel();
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _servers.DisposeAsync();
    }

    private static Metadata ChainMetadata() => new Metadata()
        .Add("lane", "canary", MetadataEntryKind.Tag)
        .Add("tenant", "acme", MetadataEntryKind.ChainHeader)
        .Add("one-hop", "front-only");

    [Fact]
    public async Task Rpc_OnwardCall_InheritsDeadlineTagsAndChainHeaders_NotOneHopHeaders()
    {
        var report = await _channel.InvokeAsync(IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(0, false),
            new CallOptions { Timeout = TimeSpan.FromSeconds(20), Headers = ChainMetadata() });

        Assert.Equal("test.hop/Inspect", report.Method);
        Assert.Equal("test.hop", report.Caller); // the service Front was serving when it called on
        Assert.InRange(report.RemainingMilliseconds, 1, 20_000);
        Assert.Equal("canary", report.Tags["lane"]);
        Assert.Equal("acme", report.ChainHeaders["tenant"]);
        Assert.False(report.Headers.ContainsKey("one-hop"));
    }

    [Fact]
    public async Task Rpc_InboundDeadlineShorterThanOwnTimeout_OnwardCallGetsTheInboundOne()
    {
        // Front's client has no timeout of its own (infinite default): all Back can see is what is left of ours.
        var report = await _channel.InvokeAsync(IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(0, false), CallOptions.WithTimeout(TimeSpan.FromSeconds(7)));

        Assert.InRange(report.RemainingMilliseconds, 1, 7_000);
    }

    [Fact]
    public async Task Rpc_NoInboundDeadline_OnwardCallHasNone()
    {
        var report = await _channel.InvokeAsync(IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(0, false));

        Assert.Equal(-1, report.RemainingMilliseconds);
    }

    [Fact]
    public async Task Rpc_DeadlineRunsOutDownstream_EveryHopFailsFastWithDeadlineExceeded()
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _channel.InvokeAsync(
            IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(30_000, false), CallOptions.WithTimeout(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        // Nobody waited out Back's 30 s sleep: the deadline ended every hop (a generous bound; this is no timing test).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Rpc_IgnoreCallContext_OnwardCallInheritsNothing()
    {
        var report = await _channel.InvokeAsync(IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(0, true),
            new CallOptions { Timeout = TimeSpan.FromSeconds(20), Headers = ChainMetadata() });

        Assert.Equal(-1, report.RemainingMilliseconds);
        Assert.Empty(report.Tags);
        Assert.Empty(report.ChainHeaders);
        Assert.Null(report.Caller);
    }

    [Fact]
    public async Task Http_TimeoutAndTagHeaders_ReachTheNextRpcHop()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.hop/Relay")
        {
            Content = new StringContent("""{"sleepMilliseconds":0,"ignoreContext":false}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("fitten-timeout", "9s");
        request.Headers.Add("fitten-tag", "lane=canary, zone=eu-1");
        request.Headers.Add("fitten-chain", "tenant=acme");
        request.Headers.Add("x-one-hop", "front-only");

        using var response = await _servers.FrontHttp.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.InRange(report.GetProperty("remainingMilliseconds").GetDouble(), 1, 9_000);
        Assert.Equal("canary", report.GetProperty("tags").GetProperty("lane").GetString());
        Assert.Equal("eu-1", report.GetProperty("tags").GetProperty("zone").GetString());
        Assert.Equal("acme", report.GetProperty("chainHeaders").GetProperty("tenant").GetString());
        Assert.False(report.GetProperty("headers").TryGetProperty("x-one-hop", out _));
        Assert.Equal("test.hop", report.GetProperty("caller").GetString());
    }

    [Fact]
    public async Task Http_DeadlineRunsOutDownstream_504DeadlineExceeded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.hop/Relay")
        {
            Content = new StringContent("""{"sleepMilliseconds":30000,"ignoreContext":false}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("fitten-timeout", "300ms");
        var watch = Stopwatch.StartNew();

        using var response = await _servers.FrontHttp.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("DEADLINE_EXCEEDED", problem.GetProperty("code").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Current_OutsideAHandler_IsNull() => Assert.Null(ServerCallContext.Current);

    [Fact]
    public async Task Current_AfterACallFromThisFlow_StaysNull()
    {
        await _channel.InvokeAsync(IHopFitten.InspectAsync, default);

        Assert.Null(ServerCallContext.Current);
    }
}
