using System.Net.Sockets;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// Hostile use of the connection-level frames (settings, pings, goaway) and of the stream id space, on the dedicated
/// port and on the shared (sniffing) port alike; each case has its documented outcome, and a well-behaved client on
/// the same server sees no error meanwhile.
/// </summary>
public class ServerConnectionControlFrameTests
{
    private const string Echo = "test.echo/Echo";
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    public static TheoryData<bool, string> OutOfRangeSettings => new()
    {
        { false, "frame-size-over-ceiling" }, { true, "frame-size-over-ceiling" },
        { false, "frame-size-max-uint" }, { true, "frame-size-max-uint" },
        { false, "metadata-size-below-minimum" }, { true, "metadata-size-below-minimum" },
        { false, "metadata-size-over-ceiling" }, { true, "metadata-size-over-ceiling" },
        { false, "concurrent-calls-over-ceiling" }, { true, "concurrent-calls-over-ceiling" },
        { false, "more-than-32-entries" }, { true, "more-than-32-entries" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeSettings))]
    public async Task Settings_ValueOutOfRange_GoAwayProtocolErrorThenClose(bool shared, string setting)
    {
        var payload = setting switch
        {
            "frame-size-over-ceiling" => RawFittenConnection.SettingsPayload((SettingId.MaxFrameSize, FittenLimits.MaxFrameSizeCeiling + 1)),
            "frame-size-max-uint" => RawFittenConnection.SettingsPayload((SettingId.MaxFrameSize, uint.MaxValue)),
            "metadata-size-below-minimum" => RawFittenConnection.SettingsPayload((SettingId.MaxMetadataSize, 255)),
            "metadata-size-over-ceiling" => RawFittenConnection.SettingsPayload((SettingId.MaxMetadataSize, (1024 * 1024) + 1)),
            "concurrent-calls-over-ceiling" => RawFittenConnection.SettingsPayload((SettingId.MaxConcurrentCalls, 1_000_001)),
            "more-than-32-entries" => RawFittenConnection.SettingsPayload(Enumerable.Repeat((SettingId.MaxFrameSize, (uint)(64 * 1024)), 33).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        await ServerConnectionBadInputTests.BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await raw.SendFrameAsync(FrameType.Settings, FrameFlags.None, 0, payload);

            await ServerConnectionBadInputTests.AssertGoAwayThenCloseAsync(raw, GoAwayCode.ProtocolError);
        }, shared: shared);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Settings_ValuesAtTheEdgesOfTheirRanges_AckedAndConnectionStaysUsable(bool shared)
    {
        await ServerConnectionBadInputTests.BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await raw.SendFrameAsync(FrameType.Settings, FrameFlags.None, 0, RawFittenConnection.SettingsPayload(
                (SettingId.MaxFrameSize, FittenLimits.MaxFrameSizeCeiling), (SettingId.MaxMetadataSize, 256), (SettingId.MaxConcurrentCalls, 1)));

            Assert.NotNull(await ReadSettingsAckAsync(raw));
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, 1);
        }, shared: shared);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_StreamIdsNear2To31AndAbove_AnsweredWhileIncreasing_ThenALowerIdIsAProtocolError(bool shared)
    {
        await ServerConnectionBadInputTests.BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, int.MaxValue - 1);
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, int.MaxValue);
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, 1u << 31);
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, uint.MaxValue);

            // Nothing is above the last id: whatever comes next is not above it.
            await raw.SendRequestAsync(3, Echo, [1]);
            Assert.Equal(uint.MaxValue, await ServerConnectionBadInputTests.AssertGoAwayThenCloseAsync(raw, GoAwayCode.ProtocolError));
        }, shared: shared);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GoAwayFromClient_ThenMoreRequests_EarlierCallsAnsweredLaterOnesRefusedThenClose(bool shared)
    {
        await ServerConnectionBadInputTests.BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            await raw.SendRequestAsync(1, "test.echo/Delay", "300"u8);
            await raw.SendFrameAsync(FrameType.GoAway, FrameFlags.None, 0, new byte[8]);
            await raw.SendRequestAsync(3, Echo, [3]);
            await raw.SendRequestAsync(5, Echo, [5]);

            var goAway = (await raw.ReadFrameAsync(FrameType.GoAway, Answer))!.ReadGoAway();
            Assert.Equal((1u, GoAwayCode.NoError), (goAway.LastStreamId, goAway.Code));
            var answers = new Dictionary<uint, ReceivedFrame>();
            for (int i = 0; i < 3; i++)
            {
                var response = await raw.ReadFrameAsync(FrameType.Response, Answer);
                Assert.NotNull(response);
                Assert.True(answers.TryAdd(response.Header.StreamId, response), $"stream {response.Header.StreamId} answered twice");
            }

            Assert.Equal(StatusCode.OK, answers[1].ReadStatus().Code);
            foreach (uint refused in new uint[] { 3, 5 })
            {
                Assert.Equal(StatusCode.Unavailable, answers[refused].ReadStatus().Code);
                Assert.True(answers[refused].Header.Flags.HasFlag(FrameFlags.Refused));
            }

            Assert.True(await raw.WaitForCloseAsync(Answer), "the server did not close the connection once its calls were answered");
        }, shared: shared);
    }

    [Theory]
    [InlineData(false, "ping")]
    [InlineData(true, "ping")]
    [InlineData(false, "settings")]
    [InlineData(true, "settings")]
    public async Task ControlFrameFlood_ClientReadsAnswers_EveryOneAnsweredAndOthersServed(bool shared, string kind)
    {
        var type = kind == "ping" ? FrameType.Ping : FrameType.Settings;
        const int frames = 50_000;
        var one = type == FrameType.Ping
            ? RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8])
            : RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, RawFittenConnection.SettingsPayload((SettingId.MaxMetadataSize, 8192)));
        var batch = Enumerable.Repeat(one, 1000).SelectMany(f => f).ToArray();

        await ServerConnectionBadInputTests.BadInputAsync(async server =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            var sending = Task.Run(async () =>
            {
                for (int i = 0; i < frames / 1000; i++)
                {
                    await raw.SendAsync(batch);
                }
            });

            // The server's own settings come first; then one answer per frame sent, in order.
            int answered = 0;
            bool first = true;
            while (answered < frames)
            {
                var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(frame);
                if (first && frame.Header.Type == FrameType.Settings && frame.Header.Flags == FrameFlags.None)
                {
                    first = false;
                    continue;
                }

                Assert.Equal((type, FrameFlags.Ack), (frame.Header.Type, frame.Header.Flags));
                answered++;
            }

            await sending;
            await ServerConnectionBadInputTests.AssertEchoAsync(raw, 1);
        }, shared: shared);
    }

    [Theory]
    [InlineData(false, "ping")]
    [InlineData(true, "ping")]
    [InlineData(false, "settings")]
    [InlineData(true, "settings")]
    public async Task ControlFrameFlood_ClientNeverReads_ServerStopsReadingThenClosesStalledPeer(bool shared, string kind)
    {
        var type = kind == "ping" ? FrameType.Ping : FrameType.Settings;
        var one = type == FrameType.Ping
            ? RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, new byte[8])
            : RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, []);
        var batch = Enumerable.Repeat(one, 10_000).SelectMany(f => f).ToArray();

        await ServerConnectionBadInputTests.BadInputAsync(
            async server =>
            {
                await using var raw = await RawFittenConnection.ConnectWithReceiveBufferAsync(server.EndPoint, 4096);

                // Bounded: at most 1000 batches (10 million frames) or 30 s; a send that stays blocked (the server
                // stopped reading) or fails (it closed) ends the flood.
                var until = DateTime.UtcNow.AddSeconds(30);
                for (int i = 0; i < 1000 && DateTime.UtcNow < until; i++)
                {
                    try
                    {
                        await raw.SendAsync(batch).WaitAsync(TimeSpan.FromSeconds(3));
                    }
                    catch (Exception ex) when (ex is TimeoutException or SocketException or ObjectDisposedException)
                    {
                        break;
                    }
                }

                // Reading now drains what the server wrote before it gave up; the connection then ends.
                Assert.True(await raw.WaitForCloseAsync(TimeSpan.FromSeconds(60)), "the server kept a connection that reads nothing");
            },
            o => o.Limits.FrameReadTimeout = TimeSpan.FromSeconds(1),
            shared: shared);
    }

    private static async Task<ReceivedFrame?> ReadSettingsAckAsync(RawFittenConnection raw)
    {
        ReceivedFrame? frame;
        do
        {
            frame = await raw.ReadFrameAsync(FrameType.Settings, Answer);
        }
        while (frame is { Header.Flags: FrameFlags.None });

        return frame;
    }
}
