using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Protocol;
using static Fitten.AspNetCore.Tests.Client.HostileServerCalls;
using static Fitten.AspNetCore.Tests.Infrastructure.HostileConnection;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// The client's read loop against a server that misbehaves after reading the calls' requests: garbage, frames over
/// and just under the client's limit, answers for streams never opened or answered twice, malformed responses, bad
/// settings, goaways naming streams never sent, ping floods, a server that stops or closes mid-frame. In every case
/// each waiting call ends (its answer, or UNAVAILABLE / INTERNAL / DEADLINE_EXCEEDED; never a hang, never another
/// exception), nothing faults unobserved, and the same channel works again once its address serves correctly.
/// </summary>
public sealed class ClientReadLoopHostileServerTests
{
    private const int Calls = 3;
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private static byte[] Message(int call) => [(byte)call, 0xC0, 0xFF, 0xEE];

    /// <summary>
    /// Runs <paramref name="script"/> on every connection of a hostile server, makes <see cref="Calls"/> concurrent calls
    /// with a <see cref="Deadline"/>, checks how they ended, then relays the address to a healthy server and checks
    /// the channel works again. Keepalive (5 s, well past the deadline) closes connections left stuck mid-frame.
    /// </summary>
    private static async Task<string[]> RunAsync(Func<HostileConnection, Task> script, params string[] expected)
    {
        using var unobserved = new UnobservedExceptions();
        await using var healthy = await FittenTestServer.StartAsync();
        await using var hostile = new HostileServer(script);
        await using var channel = new FittenChannel(hostile.EndPoint, new FittenChannelOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(5),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),

            // One attempt per call: these tests are about how the read loop ends each call. A retry (the echo is
            // idempotent) would go back to the same hostile server and end DEADLINE_EXCEEDED instead (RetryTests).
            Policy = { Retry = { MaxAttempts = 1 } },
        });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i => CallAsync(channel, Message(i), Deadline)));
        AssertOutcomes(outcomes, expected);

        hostile.RelayTo(healthy.EndPoint);
        await AssertRecoversAsync(channel, string.Join(", ", outcomes));
        unobserved.AssertNone();
        return outcomes;
    }

    /// <summary>Reads the calls' requests (all of them, or as many as come), so they are waiting when the script misbehaves.</summary>
    private static Task<List<HostileRequest>> RequestsAsync(HostileConnection connection) => connection.RequestsAsync(Calls, TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task Garbage_EveryCallEnds(int seed) => RunAsync(
        async c =>
        {
            await RequestsAsync(c);
            var garbage = new byte[4096];
            new Random(seed).NextBytes(garbage);
            await c.SendAsync(garbage);
        },
        "Unavailable", "DeadlineExceeded");

    [Theory]
    [InlineData(4 * MiB + 1)]
    [InlineData(16 * MiB)]
    [InlineData(int.MaxValue)]
    [InlineData(uint.MaxValue)]
    public Task FrameOverClientLimit_ClosesConnection_CallsEndUnavailable(uint length) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            await c.SendAsync(Header(length, (byte)FrameType.Response, (byte)FrameFlags.EndStream, requests[0].StreamId));
            await c.SendAsync(new byte[1000]);
        },
        "Unavailable");

    [Theory]
    [InlineData(MiB + 1)]
    [InlineData(3 * MiB)]
    [InlineData(4 * MiB)]
    public Task FrameBetweenOneMiBAndLimit_SentWhole_CallsAnswered(int frameLength) => RunAsync(
        async c =>
        {
            foreach (var request in await RequestsAsync(c))
            {
                await c.SendAsync(Response(request.StreamId, new byte[frameLength - 4]));
            }

            await c.BehaveAsync();
        },
        "OK:other");

    [Theory]
    [InlineData(MiB + 1)]
    [InlineData(4 * MiB)]
    public Task FrameBetweenOneMiBAndLimit_ServerStopsMidPayload_CallsEndAtDeadline(int frameLength) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            var frame = Response(requests[0].StreamId, new byte[frameLength - 4]);
            await c.SendAsync(frame.AsMemory(0, frame.Length / 2));
        },
        "DeadlineExceeded");

    [Fact]
    public Task ResponsesForStreamsNeverOpened_Ignored_CallsGetTheirOwnAnswers() => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            foreach (uint id in new uint[] { 0, 1000, 0x7FFF_FFFF, 0x8000_0000, uint.MaxValue })
            {
                await c.SendAsync(Response(id, [0xBA, 0xD0]));
                await c.SendAsync(Response(id, [], StatusMetadata((ulong)StatusCode.Internal, "not yours")));
            }

            foreach (var request in requests)
            {
                await c.SendAsync(Response(request.StreamId, request.Message));
            }

            await c.BehaveAsync();
        },
        "OK");

    [Fact]
    public Task DuplicatedResponses_SecondIgnored_ConnectionStillServes() => RunAsync(
        async c =>
        {
            foreach (var request in await RequestsAsync(c))
            {
                await c.SendAsync(Response(request.StreamId, request.Message));
                await c.SendAsync(Response(request.StreamId, [0xBA, 0xD0]));
                await c.SendAsync(Response(request.StreamId, [], StatusMetadata((ulong)StatusCode.Internal, "again")));
            }

            await c.BehaveAsync();
        },
        "OK");

    /// <summary>A response payload the client cannot trust: that call ends INTERNAL, the connection closes, the others end UNAVAILABLE.</summary>
    [Theory]
    [InlineData("metadata length past payload")]
    [InlineData("payload shorter than metadata length")]
    [InlineData("truncated status varint")]
    [InlineData("unknown metadata kind")]
    [InlineData("status message past block")]
    public Task MalformedResponsePayload_CallEndsInternal_OthersUnavailable(string kind) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            byte[] payload = kind switch
            {
                "metadata length past payload" => [0x00, 0x00, 0x03, 0xE8, 1, 2, 3],
                "payload shorter than metadata length" => [0x00, 0x00],
                "truncated status varint" => [0x00, 0x00, 0x00, 0x02, 0x10, 0x80],
                "unknown metadata kind" => [0x00, 0x00, 0x00, 0x02, 0x20, 0x00],
                _ => [0x00, 0x00, 0x00, 0x03, 0x11, 0x7F, 0x41],
            };
            await c.SendAsync(Frame(FrameType.Response, FrameFlags.EndStream, requests[0].StreamId, payload));
        },
        "Internal", "Unavailable");

    /// <summary>
    /// Response metadata over the 8 KiB the client advertised (a Fitten server answers INTERNAL rather than send it):
    /// that call ends INTERNAL without its thousands of headers being read, and the connection carries on.
    /// </summary>
    [Fact]
    public async Task ResponseMetadataOverAdvertisedSize_CallEndsInternal_OthersAnswered()
    {
        var outcomes = await RunAsync(
            async c =>
            {
                var requests = await RequestsAsync(c);
                var headers = new List<byte>();
                while (headers.Count <= 8192)
                {
                    headers.AddRange([(byte)MetadataKind.Header, 0x01, (byte)'k', 0x00]);
                }

                await c.SendAsync(Response(requests[0].StreamId, requests[0].Message, headers.ToArray()));
                foreach (var request in requests.Skip(1))
                {
                    await c.SendAsync(Response(request.StreamId, request.Message));
                }

                await c.BehaveAsync();
            },
            "Internal",
            "OK");
        Assert.Single(outcomes, "Internal");
    }

    [Theory]
    [InlineData(0x01)] // REQUEST: client to server only
    [InlineData(0x03)] // CANCEL: client to server only
    [InlineData(0x06)] // DATA: reserved
    [InlineData(0x07)] // TRAILERS: reserved
    [InlineData(0x08)]
    [InlineData(0xFF)]
    public Task UnexpectedFrameType_ClosesConnection_CallsEndUnavailable(byte type) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            await c.SendAsync((byte[])[.. Header(4, type, 0x01, requests[0].StreamId), 0, 0, 0, 0]);
        },
        "Unavailable");

    [Theory]
    [InlineData(1, 0u)]
    [InlineData(1, 1023u)]
    [InlineData(1, 16u * MiB + 1)]
    [InlineData(1, uint.MaxValue)]
    [InlineData(2, 0u)]
    [InlineData(2, 1_000_001u)]
    [InlineData(3, 255u)]
    [InlineData(3, (uint)MiB + 1)]
    public Task SettingsOutOfRange_ClosesConnection_CallsEndUnavailable(ushort id, uint value) => RunAsync(
        async c =>
        {
            await RequestsAsync(c);
            await c.SendAsync(Settings((id, value)));
        },
        "Unavailable");

    [Theory]
    [InlineData("on a stream")]
    [InlineData("ack with payload")]
    [InlineData("partial entry")]
    [InlineData("33 entries")]
    public Task SettingsMalformed_ClosesConnection_CallsEndUnavailable(string kind) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            var entry = new byte[] { 0x00, 0x01, 0x00, 0x40, 0x00, 0x00 };
            byte[] frame = kind switch
            {
                "on a stream" => Frame(FrameType.Settings, FrameFlags.None, requests[0].StreamId, entry),
                "ack with payload" => Frame(FrameType.Settings, FrameFlags.Ack, 0, entry),
                "partial entry" => Frame(FrameType.Settings, FrameFlags.None, 0, entry.AsSpan(0, 5)),
                _ => Frame(FrameType.Settings, FrameFlags.None, 0, [.. Enumerable.Repeat(entry, 33).SelectMany(e => e)]),
            };
            await c.SendAsync(frame);
        },
        "Unavailable");

    [Fact]
    public Task GoAwayAboveStreamsSent_ThenResponses_CallsAnswered() => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            await c.SendAsync(GoAway(1000));
            await c.SendAsync(GoAway(uint.MaxValue, GoAwayCode.InternalError));
            foreach (var request in requests)
            {
                await c.SendAsync(Response(request.StreamId, request.Message));
            }

            // Past the goaway: answers to streams it never had, then a request's stream answered twice.
            await c.SendAsync(Response(2000, [0xBA, 0xD0]));
            await c.SendAsync(Response(requests[0].StreamId, [0xBA, 0xD0]));
        },
        "OK");

    [Fact]
    public Task GoAwayAboveStreamsSent_ThenSilence_CallsEndAtDeadline() => RunAsync(
        async c =>
        {
            await RequestsAsync(c);
            await c.SendAsync(GoAway(1000));
        },
        "DeadlineExceeded");

    /// <summary>Every connection refuses everything by goaway and answers anyway: the answers are ignored, the retries run out.</summary>
    [Fact]
    public Task GoAwayRefusingAll_ThenResponsesAnyway_CallsEndUnavailable() => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            await c.SendAsync(GoAway(0));
            foreach (var request in requests)
            {
                await c.SendAsync(Response(request.StreamId, request.Message));
            }
        },
        "Unavailable",
        "DeadlineExceeded");

    [Fact]
    public Task PingAndSettingsFlood_CallsStillAnswered() => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            var flood = new List<byte>();
            for (int i = 0; i < 20_000; i++)
            {
                flood.AddRange(Ping((ulong)i));
                if (i % 20 == 0)
                {
                    flood.AddRange(Settings((1, 4 * MiB), (2, 100), (3, 8192), (0x7777, 1)));
                    flood.AddRange(Frame(FrameType.Ping, FrameFlags.Ack, 0, [1, 2, 3]));
                }
            }

            await c.SendAsync(flood.ToArray());
            foreach (var request in requests)
            {
                await c.SendAsync(Response(request.StreamId, request.Message));
            }

            await c.BehaveAsync();
        },
        "OK");

    /// <summary>
    /// A server floods pings and reads none of the answers: the client stops queuing answers (before, they piled up
    /// in memory, hundreds of MiB within seconds), and its calls are still answered. Proven by counting the answers
    /// queued ahead of a later call's request once the server reads again: a few kernel buffers' worth, not one per ping.
    /// </summary>
    [Fact]
    public async Task PingFloodWithoutReading_AnswersBounded_CallsStillAnswered()
    {
        const int Pings = 3_000_000;
        int acksBeforeLaterCall = -1;
        using var unobserved = new UnobservedExceptions();
        await using var hostile = new HostileServer(
            async c =>
            {
                var first = await c.NextRequestAsync();
                c.PauseReading();
                var flood = new List<byte>();
                for (int i = 0; i < 10_000; i++)
                {
                    flood.AddRange(Ping((ulong)i));
                }

                var chunk = flood.ToArray();
                for (int sent = 0; sent < Pings; sent += 10_000)
                {
                    await c.SendAsync(chunk);
                }

                c.ResumeReading();
                await c.SendAsync(Response(first!.StreamId, first.Message));

                // This request was queued after every answer the client queued for the flood.
                var later = await c.NextRequestAsync(TimeSpan.FromSeconds(60));
                acksBeforeLaterCall = c.PingAcksReceived;
                await c.SendAsync(Response(later!.StreamId, later.Message));
            },
            receiveBufferSize: 8192);
        await using var channel = new FittenChannel(hostile.EndPoint);

        Assert.Equal("OK", await CallAsync(channel, Message(1), TimeSpan.FromSeconds(60)));
        Assert.Equal("OK", await CallAsync(channel, Message(2), TimeSpan.FromSeconds(60)));
        Assert.InRange(acksBeforeLaterCall, 0, Pings / 3);
        unobserved.AssertNone();
    }

    [Theory]
    [InlineData(3)] // inside the header
    [InlineData(12)] // inside the metadata length
    [InlineData(17)] // inside the message
    public Task StopsMidFrame_SocketOpen_CallsEndAtDeadline(int cut) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            var frame = Response(requests[0].StreamId, new byte[100]);
            await c.SendAsync(frame.AsMemory(0, cut));
        },
        "DeadlineExceeded");

    [Theory]
    [InlineData(3, false)]
    [InlineData(17, false)]
    [InlineData(3, true)]
    [InlineData(17, true)]
    public Task ClosesMidFrame_CallsEndUnavailable(int cut, bool reset) => RunAsync(
        async c =>
        {
            var requests = await RequestsAsync(c);
            var frame = Response(requests[0].StreamId, new byte[100]);
            await c.SendAsync(frame.AsMemory(0, cut));
            if (reset)
            {
                c.Abort();
            }
            else
            {
                c.Close();
            }
        },
        "Unavailable");

    /// <summary>A status outside gRPC's 0–16 reads as UNKNOWN, as gRPC clients read it, never as an undefined enum value.</summary>
    [Theory]
    [InlineData(17UL)]
    [InlineData(99UL)]
    [InlineData(1UL << 40)]
    public Task StatusOutOfRange_CallsEndUnknown(ulong code) => RunAsync(
        async c =>
        {
            foreach (var request in await RequestsAsync(c))
            {
                await c.SendAsync(Response(request.StreamId, [], StatusMetadata(code, "odd")));
            }

            await c.BehaveAsync();
        },
        "Unknown");
}
