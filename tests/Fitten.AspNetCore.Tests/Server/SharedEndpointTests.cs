using System.Net;
using Fitten.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>One port, three protocols: HTTP/1.1, h2c and Fitten RPC, told apart by the first bytes.</summary>
public class SharedEndpointTests
{
    private static void MapPing(WebApplication app) => app.MapGet("/ping", (HttpContext context) => $"pong over {context.Request.Protocol}");

    [Fact]
    public async Task SharedPort_ServesHttp1H2cAndFittenRpc_AtTheSameTime()
    {
        await using var server = await FittenTestServer.StartAsync(shared: true, mapHttp: MapPing);
        await using var channel = server.CreateChannel();
        using var http1 = new HttpClient { BaseAddress = server.Address };
        using var h2c = new HttpClient
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var rpc = Enumerable.Range(0, 100).Select(i => channel.InvokeAsync(TestMethods.Echo, [(byte)i]).AsTask()).ToArray();
        var viaHttp1 = http1.GetStringAsync("/ping");
        var viaH2c = h2c.GetStringAsync("/ping");

        Assert.Equal("pong over HTTP/1.1", await viaHttp1);
        Assert.Equal("pong over HTTP/2", await viaH2c);
        var replies = await Task.WhenAll(rpc);
        Assert.All(replies.Select((r, i) => (r, i)), x => Assert.Equal([(byte)x.i], x.r));
    }

    [Fact]
    public async Task SharedPort_GarbageThatIsNotFitten_GoesToHttpAndGetsBadRequest_RpcUnaffected()
    {
        await using var server = await FittenTestServer.StartAsync(shared: true, mapHttp: MapPing);
        await using var channel = server.CreateChannel();
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);

        await raw.SendAsync("NOT A PROTOCOL\r\n\r\n"u8.ToArray());

        Assert.True(await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([9], await channel.InvokeAsync(TestMethods.Echo, [9]));
    }

    [Fact]
    public async Task DedicatedPort_HttpRequest_IsClosedWithoutAnswer()
    {
        await using var server = await FittenTestServer.StartAsync(shared: false, protocols: HttpProtocols.Http1);
        using var http = new HttpClient { BaseAddress = server.Address };

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/ping"));
    }
}
