using System.Diagnostics;
using System.Text;
using Fitten.AspNetCore.Server;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// Each limit and each kind of bad input, sent by hand over a real socket to a real server, gets its documented
/// answer; and in every case a well-behaved client on the same server at the same time sees no error.
/// </summary>
public class ServerConnectionBadInputTests
{
    private const string Echo = "test.echo/Echo";
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    public static TheoryData<bool, string> FittenFirstByteWrongMagic => Ports.Each(
        "F146495454454F01", // 0xF1 "FITTEO" v1: right first byte, wrong magic
        "F100"); // wrong from the second byte

    [Theory]
    [MemberData(nameof(FittenFirstByteWrongMagic))]
    public async Task Preface_FittenFirstByteButWrongMagic_ClosesWithoutAnswer(bool shared, string hex)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await raw.SendAsync(Convert.FromHexString(hex));

                Assert.Null(await raw.ReadFrameAsync(Answer));
                Assert.Equal(0, raw.BufferedBytes);
            },
            shared: shared);
    }

    public static TheoryData<bool, string> NotFittenFirstByte => Ports.Each(
        "474554202F20485454502F312E310D0A0D0A", // an HTTP/1.1 request line
        "00"); // one byte is enough to tell

    [Theory]
    [MemberData(nameof(NotFittenFirstByte))]
    public async Task Preface_NotFittenFirstByte_DedicatedClosesWithoutAnswer_SharedHandsToHttp1(bool shared, string hex)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await raw.SendAsync(Convert.FromHexString(hex));

                var (answer, closed) = await raw.ReadBytesUntilCloseAsync(Answer);
                Assert.True(closed, "the connection was not closed");
                if (shared)
                {
                    // Not Fitten, not the HTTP/2 preface: HTTP/1.1 takes it, and neither input is a request it serves.
                    Assert.StartsWith("HTTP/1.1 4", Encoding.ASCII.GetString(answer), StringComparison.Ordinal);
                }
                else
                {
                    Assert.Empty(answer);
                }
            },
            shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Preface_WrongVersion_GoAwayUnsupportedVersionThenClose(bool shared)
    {
        var preface = new byte[FittenProtocol.PrefaceLength];
        FittenProtocol.WritePreface(preface);
        preface[^1] = FittenProtocol.Version + 1;

        await AssertSendingClosesWithAsync(shared, preface, GoAwayCode.UnsupportedVersion, sendPreface: false);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Preface_PartThenStall_GoAwayReadTimeoutThenClose(bool shared)
    {
        await BadInputAsync(
            async server =>
            {
                var clock = Stopwatch.StartNew();
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
                await raw.SendAsync(FittenProtocol.Magic[..4].ToArray());

                await AssertGoAwayThenCloseAsync(raw, GoAwayCode.ReadTimeout);
                // Not before the timeout: the stall is what closed it (TickCount64 is coarse, hence the margin).
                Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"closed after {clock.Elapsed}");
            },
            o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(300),
            shared: shared);
    }

    public static TheoryData<bool, int> HalfSentFrames => Ports.Each(
        3, // inside the header
        FrameHeader.Size, // the whole header, no payload
        FrameHeader.Size + 7); // inside the payload

    [Theory]
    [MemberData(nameof(HalfSentFrames))]
    public async Task Frame_HalfSentThenStall_GoAwayReadTimeoutThenClose(bool shared, int bytesSent)
    {
        var frame = RawFittenConnection.RequestFrame(1, Echo, new byte[100]);

        await AssertSendingClosesWithAsync(shared, frame[..bytesSent], GoAwayCode.ReadTimeout, configure: o => o.Limits.FrameReadTimeout = TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Frame_TruncatedThenClientCloses_ServerKeepsServing(bool shared)
    {
        var logs = new CapturingLoggerProvider();
        await BadInputAsync(
            async server =>
            {
                await using (var raw = await RawFittenConnection.ConnectAsync(server.EndPoint))
                {
                    // The header promises 1000 bytes; 100 arrive, then the client is gone.
                    var frame = RawFittenConnection.RequestFrame(1, Echo, new byte[1000]);
                    await raw.SendAsync(frame.AsMemory(0, 100));
                }

                await using var next = await RawFittenConnection.ConnectAsync(server.EndPoint);
                await next.SendRequestAsync(1, Echo, [42]);
                var response = await next.ReadFrameAsync(FrameType.Response, Answer);
                Assert.NotNull(response);
                Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
                Assert.Equal([42], response.Message);
            },
            logs: logs,
            shared: shared);

        AssertNothingAlarming(logs);
    }

    public static TheoryData<bool, uint> LengthsOverMaxFrameSize => Ports.Each(
        (64u * 1024) + 1, // one byte over the limit
        (uint)int.MaxValue,
        uint.MaxValue); // does not even fit the signed length the reader uses

    [Theory]
    [MemberData(nameof(LengthsOverMaxFrameSize))]
    public async Task Frame_LengthOverMaxFrameSize_GoAwayFrameSizeErrorThenClose(bool shared, uint length)
    {
        var header = new byte[FrameHeader.Size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, length);
        header[4] = (byte)FrameType.Request;
        header[9] = 1;

        // Only the header: the server must refuse on the length alone, not wait for the payload.
        await AssertSendingClosesWithAsync(shared, header, GoAwayCode.FrameSizeError, configure: o => o.Limits.MaxFrameSize = 64 * 1024);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_MetadataOverMaxMetadataSize_ResourceExhaustedAndConnectionStaysUsable(bool shared)
    {
        var request = RawFittenConnection.RequestFrame(1, Echo, [1], metadata =>
        {
            metadata.Add(0x09);
            RawFittenConnection.AppendString(metadata, "big");
            RawFittenConnection.AppendString(metadata, new string('x', 2000));
        });

        await AssertSendingAnsweredWithAsync(shared, request, StatusCode.ResourceExhausted, "1024", o => o.Limits.MaxMetadataSize = 1024);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_MoreMetadataEntriesThanAllowed_ResourceExhaustedAndConnectionStaysUsable(bool shared)
    {
        var request = RawFittenConnection.RequestFrame(1, Echo, [1], metadata =>
        {
            for (int i = 0; i < 20; i++)
            {
                metadata.Add(0x08);
                RawFittenConnection.AppendString(metadata, "k" + i);
                RawFittenConnection.AppendString(metadata, "v");
            }
        });

        await AssertSendingAnsweredWithAsync(shared, request, StatusCode.ResourceExhausted, "8 entries", o => o.Limits.MaxMetadataEntries = 8);
    }

    public static TheoryData<bool, string> MetadataMalformations => Ports.Each(
        "truncated-varint", "overlong-varint", "string-overruns-block", "pair-value-overruns-block",
        "metadata-length-past-payload", "payload-shorter-than-metadata-length", "unknown-core-kind");

    [Theory]
    [MemberData(nameof(MetadataMalformations))]
    public async Task Request_MalformedMetadata_GoAwayProtocolErrorThenClose(bool shared, string malformation)
    {
        await AssertSendingClosesWithAsync(shared, MalformedRequest(malformation), GoAwayCode.ProtocolError);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_ExtensionMetadataKinds_AreSkippedAndCallSucceeds(bool shared)
    {
        await BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await raw.SendRequestAsync(1, Echo, [5, 6], metadata =>
            {
                metadata.Add(0x80);
                RawFittenConnection.AppendString(metadata, "from a newer client");
                metadata.Add(0xFF);
                RawFittenConnection.AppendString(metadata, string.Empty);
            });

            var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
            Assert.NotNull(response);
            Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
            Assert.Equal([5, 6], response.Message);
        }, shared: shared);
    }

    public static TheoryData<bool, byte> TypesNotAccepted => Ports.Each<byte>(
        0x09, // unknown
        0xFF, // unknown
        (byte)FrameType.Data, // reserved for streaming
        (byte)FrameType.Trailers, // reserved for streaming
        (byte)FrameType.Response); // only servers send responses

    [Theory]
    [MemberData(nameof(TypesNotAccepted))]
    public async Task Frame_TypeNotAccepted_GoAwayProtocolErrorThenClose(bool shared, byte type)
    {
        var frame = RawFittenConnection.Frame((FrameType)type, FrameFlags.None, 1, [0, 0, 0, 0, 1, 2, 3]);

        await AssertSendingClosesWithAsync(shared, frame, GoAwayCode.ProtocolError);
    }

    public static TheoryData<bool, string> ControlFrameMalformations => Ports.Each(
        "ping-short", "ping-on-stream", "settings-partial-entry", "settings-on-stream", "settings-ack-with-payload",
        "settings-frame-size-below-minimum", "settings-no-concurrent-calls", "cancel-short");

    [Theory]
    [MemberData(nameof(ControlFrameMalformations))]
    public async Task Frame_ControlFrameMalformed_GoAwayProtocolErrorThenClose(bool shared, string malformation)
    {
        var frame = malformation switch
        {
            "ping-short" => RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[7]),
            "ping-on-stream" => RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 1, new byte[8]),
            "settings-partial-entry" => RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, new byte[7]),
            "settings-on-stream" => RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 3, new byte[6]),
            "settings-ack-with-payload" => RawFittenConnection.Frame(FrameType.Settings, FrameFlags.Ack, 0, new byte[6]),
            "settings-frame-size-below-minimum" => RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, [0, 1, 0, 0, 0x03, 0xFF]),
            "settings-no-concurrent-calls" => RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, [0, 2, 0, 0, 0, 0]),
            "cancel-short" => RawFittenConnection.Frame(FrameType.Cancel, FrameFlags.None, 1, new byte[3]),
            _ => throw new ArgumentOutOfRangeException(nameof(malformation)),
        };

        await AssertSendingClosesWithAsync(shared, frame, GoAwayCode.ProtocolError);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Settings_UnknownId_IgnoredAckedAndConnectionStaysUsable(bool shared)
    {
        await BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);

            // Id 99 (unknown, any value), then MAX_FRAME_SIZE 1 MiB.
            await raw.SendFrameAsync(FrameType.Settings, FrameFlags.None, 0, [0, 99, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 0, 0x10, 0, 0]);

            ReceivedFrame? frame;
            do
            {
                frame = await raw.ReadFrameAsync(FrameType.Settings, Answer);
            }
            while (frame is { Header.Flags: FrameFlags.None });

            Assert.NotNull(frame);
            Assert.Equal(FrameFlags.Ack, frame.Header.Flags);
            Assert.Empty(frame.Payload);
            await AssertEchoAsync(raw, 1);
        }, shared: shared);
    }

    public static TheoryData<bool, uint, uint> StreamIdsNotAboveLast => new()
    {
        { false, 0u, 0u }, { true, 0u, 0u }, // stream 0 belongs to the connection
        { false, 5u, 5u }, { true, 5u, 5u }, // reused
        { false, 5u, 3u }, { true, 5u, 3u }, // going backwards
    };

    [Theory]
    [MemberData(nameof(StreamIdsNotAboveLast))]
    public async Task Request_StreamIdNotAboveLast_GoAwayProtocolErrorNamingLastAcceptedStream(bool shared, uint first, uint second)
    {
        await BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            if (first != 0)
            {
                await raw.SendRequestAsync(first, Echo, [1]);
                var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
                Assert.Equal(StatusCode.OK, response!.ReadStatus().Code);
            }

            await raw.SendRequestAsync(second, Echo, [2]);

            var lastStreamId = await AssertGoAwayThenCloseAsync(raw, GoAwayCode.ProtocolError);
            Assert.Equal(first, lastStreamId);
        }, shared: shared);
    }

    public static TheoryData<bool, string> UnknownMethods => Ports.Each(
        "test.echo/Missing",
        "test.echo/echo", // names are case-sensitive
        "tést.echo/Echo", // not ASCII
        "");

    [Theory]
    [MemberData(nameof(UnknownMethods))]
    public async Task Request_UnknownMethod_UnimplementedAndConnectionStaysUsable(bool shared, string method)
    {
        await AssertSendingAnsweredWithAsync(shared, RawFittenConnection.RequestFrame(1, method, [1]), StatusCode.Unimplemented, "Unknown method");
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_OverlongMethodName_UnimplementedWithBoundedMessage(bool shared)
    {
        await BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await raw.SendRequestAsync(1, new string('m', 5000), [1]);

            var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
            Assert.NotNull(response);
            var (code, message) = response.ReadStatus();
            Assert.Equal(StatusCode.Unimplemented, code);
            Assert.InRange(message.Length, 1, 1024);
        }, shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_NoMethodEntry_InvalidArgumentAndConnectionStaysUsable(bool shared)
    {
        var metadata = new List<byte> { 0x07 };
        RawFittenConnection.AppendString(metadata, "someone");

        await AssertSendingAnsweredWithAsync(shared, RawFittenConnection.RequestFrameWithMetadata(1, metadata.ToArray(), [1]), StatusCode.InvalidArgument, "no method");
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Request_OverMaxConcurrentCalls_ResourceExhaustedRefusedWhileOthersRun(bool shared)
    {
        const int limit = 4;
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                // All in one send: the server counts the calls as it reads them, so the fifth meets four running.
                var frames = new List<byte>();
                for (uint i = 0; i <= limit; i++)
                {
                    frames.AddRange(RawFittenConnection.RequestFrame((2 * i) + 1, "test.echo/Delay", "2000"u8));
                }

                await raw.SendAsync(frames.ToArray());

                var refused = await raw.ReadFrameAsync(FrameType.Response, Answer);
                Assert.NotNull(refused);
                Assert.Equal((2 * limit) + 1, (int)refused.Header.StreamId);
                Assert.Equal(FrameFlags.EndStream | FrameFlags.Refused, refused.Header.Flags);
                Assert.Equal(StatusCode.ResourceExhausted, refused.ReadStatus().Code);

                // The four run to completion, and then the connection takes calls again.
                var done = new List<uint>();
                for (int i = 0; i < limit; i++)
                {
                    var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
                    Assert.NotNull(response);
                    Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
                    Assert.Equal("2000"u8.ToArray(), response.Message);
                    done.Add(response.Header.StreamId);
                }

                Assert.Equal(new uint[] { 1, 3, 5, 7 }, done.Order().ToArray());
                await AssertEchoAsync(raw, 11);
            },
            o => o.Limits.MaxConcurrentCalls = limit,
            shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Ping_Sent_PongWithSameBytes(bool shared)
    {
        await BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            byte[] data = [1, 2, 3, 4, 5, 6, 7, 0xF8];
            await raw.SendFrameAsync(FrameType.Ping, FrameFlags.None, 0, data);

            var pong = await raw.ReadFrameAsync(FrameType.Ping, Answer);
            Assert.NotNull(pong);
            Assert.Equal(FrameFlags.Ack, pong.Header.Flags);
            Assert.Equal(0u, pong.Header.StreamId);
            Assert.Equal(data, pong.Payload);
        }, shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Connection_IdleLongerThanIdleTimeout_GoAwayIdleTimeoutThenClose(bool shared)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                await AssertEchoAsync(raw, 1);

                await AssertGoAwayThenCloseAsync(raw, GoAwayCode.IdleTimeout);
            },
            o => o.Limits.IdleTimeout = TimeSpan.FromMilliseconds(500),
            shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Connection_CallRunningLongerThanIdleTimeout_NotClosed(bool shared)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                await raw.SendRequestAsync(1, "test.echo/Delay", "1500"u8);

                var response = await raw.ReadFrameAsync(Answer);
                while (response is { Header.Type: FrameType.Settings })
                {
                    response = await raw.ReadFrameAsync(Answer);
                }

                Assert.NotNull(response);
                Assert.Equal(FrameType.Response, response.Header.Type);
                Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
            },
            o => o.Limits.IdleTimeout = TimeSpan.FromMilliseconds(300),
            shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task ProtocolError_WhileCallsRun_EachCallUpToTheGoAwaysLastStreamAnsweredOnceThenClose(bool shared)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                // In one send: a call that honours its cancellation, one that ignores it, one that ends at once, then a
                // malformed ping. The goaway names stream 5, so the server promises an answer to each of the three.
                byte[] bytes =
                [
                    .. RawFittenConnection.RequestFrame(1, "test.echo/Delay", "30000"u8),
                    .. RawFittenConnection.RequestFrame(3, "test.echo/Sleep", "8000"u8),
                    .. RawFittenConnection.RequestFrame(5, Echo, [5]),
                    .. RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[7]),
                ];
                await raw.SendAsync(bytes);

                var (frames, closed) = await raw.ReadFramesUntilCloseAsync(Answer);
                Assert.True(closed, "the server did not close the connection");
                var goAway = Assert.Single(frames, f => f.Header.Type == FrameType.GoAway).ReadGoAway();
                Assert.Equal((5u, GoAwayCode.ProtocolError), (goAway.LastStreamId, goAway.Code));
                var answers = AnswersByStream(frames);
                Assert.Equal([1u, 3u, 5u], answers.Keys.Order());
                Assert.Equal(StatusCode.OK, answers[5].ReadStatus().Code);

                // Cancelled as the connection closed, and answered: by the handler that honours its token, and by the
                // connection for the one that does not end in time. Not REFUSED: both may have done work.
                Assert.Equal(StatusCode.Unavailable, answers[1].ReadStatus().Code);
                Assert.Equal(StatusCode.Unavailable, answers[3].ReadStatus().Code);
                Assert.False(answers[1].Header.Flags.HasFlag(FrameFlags.Refused));
                Assert.False(answers[3].Header.Flags.HasFlag(FrameFlags.Refused));
            },
            shared: shared);
    }

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Connection_HalfClosedWhileACallOutlivesTheDrainTimeout_CallAnsweredUnavailableThenClose(bool shared)
    {
        await BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                await raw.SendRequestAsync(1, "test.echo/Sleep", "8000"u8);
                await raw.SendRequestAsync(3, Echo, [3]);
                Assert.NotNull(await raw.ReadFrameAsync(FrameType.Response, Answer));
                raw.ShutdownSend();

                var (frames, closed) = await raw.ReadFramesUntilCloseAsync(Answer);
                Assert.True(closed, "the server did not close the connection");
                var goAway = Assert.Single(frames, f => f.Header.Type == FrameType.GoAway).ReadGoAway();
                Assert.Equal((3u, GoAwayCode.NoError), (goAway.LastStreamId, goAway.Code));
                var answer = Assert.Single(AnswersByStream(frames));
                Assert.Equal(1u, answer.Key);
                Assert.Equal(StatusCode.Unavailable, answer.Value.ReadStatus().Code);
            },
            o => o.DrainTimeout = TimeSpan.FromMilliseconds(300),
            shared: shared);
    }

    /// <summary>The responses among <paramref name="frames"/> by stream id; fails if a stream is answered twice.</summary>
    internal static Dictionary<uint, ReceivedFrame> AnswersByStream(IEnumerable<ReceivedFrame> frames)
    {
        var answers = new Dictionary<uint, ReceivedFrame>();
        foreach (var frame in frames.Where(f => f.Header.Type == FrameType.Response))
        {
            Assert.True(answers.TryAdd(frame.Header.StreamId, frame), $"stream {frame.Header.StreamId} was answered twice");
        }

        return answers;
    }

    /// <summary>
    /// Runs <paramref name="misbehave"/> against a fresh server (a dedicated port, or a <paramref name="shared"/> one) while a well-behaved client calls it throughout,
    /// then asserts that client saw no error.
    /// </summary>
    internal static async Task BadInputAsync(
        Func<FittenTestServer, Task> misbehave, Action<FittenServerOptions>? configure = null, CapturingLoggerProvider? logs = null, bool shared = false)
    {
        await using var server = await FittenTestServer.StartAsync(configure, shared: shared, logs: logs);
        logs?.Clear();
        await using var good = await WellBehavedClient.StartAsync(server);

        await misbehave(server);

        await good.AssertUnaffectedAsync();
    }

    /// <summary>On a fresh server (with a well-behaved client beside): sending <paramref name="bytes"/> earns a goaway with <paramref name="code"/> and a close.</summary>
    private static Task AssertSendingClosesWithAsync(bool shared, byte[] bytes, GoAwayCode code, bool sendPreface = true, Action<FittenServerOptions>? configure = null)
        => BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface);
                await raw.SendAsync(bytes);

                await AssertGoAwayThenCloseAsync(raw, code);
            },
            configure,
            shared: shared);

    /// <summary>Reads up to a goaway with <paramref name="code"/>, then expects the close; returns the goaway's last stream id.</summary>
    internal static async Task<uint> AssertGoAwayThenCloseAsync(RawFittenConnection raw, GoAwayCode code)
    {
        var frame = await raw.ReadFrameAsync(FrameType.GoAway, Answer);
        Assert.NotNull(frame);
        var goAway = frame.ReadGoAway();
        Assert.Equal(code, goAway.Code);
        Assert.NotEmpty(goAway.Reason);
        Assert.True(await raw.WaitForCloseAsync(Answer), "the server did not close the connection after its goaway");
        return goAway.LastStreamId;
    }

    /// <summary>
    /// On a fresh server (with a well-behaved client beside): the request on stream 1 in <paramref name="request"/> is
    /// answered with <paramref name="code"/> and no message, and the connection then takes the next call.
    /// </summary>
    private static Task AssertSendingAnsweredWithAsync(bool shared, byte[] request, StatusCode code, string messagePart, Action<FittenServerOptions>? configure = null)
        => BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
                await raw.SendAsync(request);

                var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
                Assert.NotNull(response);
                Assert.Equal(1u, response.Header.StreamId);
                Assert.True(response.Header.Flags.HasFlag(FrameFlags.EndStream));
                var (actual, message) = response.ReadStatus();
                Assert.Equal(code, actual);
                Assert.Contains(messagePart, message, StringComparison.Ordinal);
                Assert.Empty(response.Message);
                await AssertEchoAsync(raw, 3);
            },
            configure,
            shared: shared);

    internal static async Task AssertEchoAsync(RawFittenConnection raw, uint streamId)
    {
        byte[] payload = [9, 8, 7, (byte)streamId];
        await raw.SendRequestAsync(streamId, Echo, payload);
        var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
        Assert.NotNull(response);
        Assert.Equal(streamId, response.Header.StreamId);
        Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
        Assert.Equal(payload, response.Message);
    }

    private static byte[] MalformedRequest(string malformation)
    {
        var metadata = new List<byte> { 0x01 };
        RawFittenConnection.AppendString(metadata, Echo);
        switch (malformation)
        {
            case "truncated-varint":
                metadata.AddRange([0x02, 0x80]); // timeout: continuation bit set, then the block ends
                break;
            case "overlong-varint":
                metadata.Add(0x02);
                metadata.AddRange(Enumerable.Repeat((byte)0xFF, 11)); // more than 64 bits
                break;
            case "string-overruns-block":
                metadata.AddRange([0x07, 0x10, (byte)'a', (byte)'b']); // caller says 16 bytes, 2 follow
                break;
            case "pair-value-overruns-block":
                metadata.AddRange([0x09, 0x01, (byte)'k', 0x7F, (byte)'v']);
                break;
            case "metadata-length-past-payload":
                var frame = RawFittenConnection.RequestFrameWithMetadata(1, metadata.ToArray(), [1, 2, 3]);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(FrameHeader.Size), 1000);
                return frame;
            case "payload-shorter-than-metadata-length":
                return RawFittenConnection.Frame(FrameType.Request, FrameFlags.EndStream, 1, [0, 0]);
            case "unknown-core-kind":
                metadata.AddRange([0x20, 0x01, (byte)'x']);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(malformation));
        }

        return RawFittenConnection.RequestFrameWithMetadata(1, metadata.ToArray(), Encoding.UTF8.GetBytes("payload"));
    }

    /// <summary>Nothing at warning level or above, and no exception, in what the server logged.</summary>
    internal static void AssertNothingAlarming(CapturingLoggerProvider logs, params string[] allowedEvents)
    {
        var alarming = logs.Records
            .Where(r => (r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning || r.Exception is not null) && !allowedEvents.Contains(r.EventId.Name))
            .ToList();
        Assert.True(alarming.Count == 0, "The server logged: " + string.Join(Environment.NewLine, alarming.Take(10)));
    }
}
