using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using Fitten.AspNetCore.Server;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// One port, three protocols: HTTP/1.1, h2c and Fitten RPC, told apart by the first bytes; and input that sits between
/// them (a cut-short or stalled HTTP/2 preface, a preface followed by garbage, one protocol's start followed by the
/// other's) gets its documented outcome while a Fitten, an HTTP/1.1 and an h2c client on the same port are served.
/// </summary>
public class SharedEndpointTests
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);
    private static readonly byte[] Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

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

    public static TheoryData<int> PrefaceCuts => new()
    {
        1, // "P": could still be POST, PUT, PATCH or the preface
        3, // "PRI"
        16, // the request line "PRI * HTTP/2.0\r\n"
        23, // all but the last byte
    };

    [Theory]
    [MemberData(nameof(PrefaceCuts))]
    public async Task SharedPort_Http2PrefaceCutShortThenClientCloses_ConnectionClosed(int length)
    {
        await HandoffBadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
            await raw.SendAsync(Http2Preface.AsMemory(0, length));
            raw.ShutdownSend();

            var (_, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
            Assert.True(closed, "the connection was not closed");
        });
    }

    [Theory]
    [MemberData(nameof(PrefaceCuts))]
    public async Task SharedPort_Http2PrefaceCutShortThenStall_ClosedWithoutAnswerAfterTheFrameReadTimeout(int length)
    {
        await HandoffBadInputAsync(
            async server =>
            {
                var clock = Stopwatch.StartNew();
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await raw.SendAsync(Http2Preface.AsMemory(0, length));

                // Held no longer than the frame read timeout (generously bounded), not for HTTP's timeouts on top.
                var (answer, closed) = await raw.ReadBytesUntilCloseAsync(TimeSpan.FromSeconds(5));
                Assert.True(closed, $"a stalled start of the HTTP/2 preface was held for {clock.Elapsed}");
                Assert.Empty(answer);
                Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"closed after {clock.Elapsed}, before the timeout");
            },
            o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SharedPort_FittenFirstByteThenStall_GoAwayReadTimeoutThenClose()
    {
        await HandoffBadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await raw.SendAsync(new[] { FittenProtocol.MagicFirstByte });

                await ServerConnectionBadInputTests.AssertGoAwayThenCloseAsync(raw, GoAwayCode.ReadTimeout);
            },
            o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SharedPort_NothingSentUntilAfterTheFrameReadTimeout_ThenAnHttp1Request_IsServed()
    {
        await HandoffBadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await Task.Delay(TimeSpan.FromSeconds(1));

                // A connection that says nothing is HTTP's to time out (its keep-alive timeout), as on any HTTP port.
                await raw.SendAsync("GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
                var (answer, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
                Assert.True(closed);
                string text = Encoding.ASCII.GetString(answer);
                Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
                Assert.Contains("pong over HTTP/1.1", text, StringComparison.Ordinal);
            },
            o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task SharedPort_Http2PrefaceThenGarbage_Http2AnswersGoAwayAndCloses()
    {
        await HandoffBadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
            var garbage = new byte[64];
            new Random(64).NextBytes(garbage);
            garbage[3] = 0x04; // a SETTINGS frame whose length is not a multiple of 6 if anything, never a valid start
            await raw.SendAsync(Http2Preface.Concat(garbage).ToArray());

            var (answer, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
            Assert.True(closed, "the connection was not closed");
            Assert.Contains((byte)0x7, Http2FrameTypes(answer)); // GOAWAY: the garbage reached HTTP/2, which refused it
        });
    }

    [Fact]
    public async Task SharedPort_FittenMagicStartThenHttp2Preface_ClosedWithoutAnswer()
    {
        await HandoffBadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
            await raw.SendAsync(FittenProtocol.Magic[..3].ToArray().Concat(Http2Preface).ToArray());

            var (answer, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
            Assert.True(closed, "the connection was not closed");
            Assert.Empty(answer);
        });
    }

    [Fact]
    public async Task SharedPort_Http2PrefaceStartThenFittenPreface_GoesToHttp1AndIsRefused()
    {
        await HandoffBadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
            var preface = new byte[FittenProtocol.PrefaceLength];
            FittenProtocol.WritePreface(preface);
            await raw.SendAsync(Http2Preface[..3].Concat(preface).Concat("\r\n\r\n"u8.ToArray()).ToArray());

            var (answer, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
            Assert.True(closed, "the connection was not closed");
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(answer), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Runs <paramref name="misbehave"/> against a fresh shared port while a Fitten client, an HTTP/1.1 client and an
    /// h2c client call it throughout, then asserts none of them saw an error.
    /// </summary>
    private static async Task HandoffBadInputAsync(Func<FittenTestServer, Task> misbehave, Action<FittenServerOptions>? configure = null)
    {
        await using var server = await FittenTestServer.StartAsync(configure, shared: true, mapHttp: MapPing);
        await using var rpc = await WellBehavedClient.StartAsync(server);
        await using var http1 = await WellBehavedHttpClient.StartAsync(server, HttpVersion.Version11);
        await using var h2c = await WellBehavedHttpClient.StartAsync(server, HttpVersion.Version20);

        await misbehave(server);

        await rpc.AssertUnaffectedAsync();
        await http1.AssertUnaffectedAsync();
        await h2c.AssertUnaffectedAsync();
    }

    /// <summary>The types of the HTTP/2 frames in <paramref name="bytes"/> (9-byte headers: length u24, type, flags, stream).</summary>
    private static List<byte> Http2FrameTypes(byte[] bytes)
    {
        var types = new List<byte>();
        for (int at = 0; at + 9 <= bytes.Length && types.Count < 100; at += 9 + (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at)) >> 8))
        {
            types.Add(bytes[at + 3]);
        }

        return types;
    }
}
