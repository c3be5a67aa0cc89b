using System.Buffers;
using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

public class SettingsFrameTests
{
    private static readonly FrameHeader Header = new(0, FrameType.Settings, FrameFlags.None, 0);

    [Fact]
    public void ForServer_RoundTrips_AllThreeLimits()
    {
        var limits = new FittenLimits { MaxFrameSize = 1 << 20, MaxConcurrentCalls = 100, MaxMetadataSize = 4096 };
        var sent = SettingsFrame.ForServer(limits);

        var read = Read(Encode(sent));

        Assert.Equal(new SettingsFrame(1 << 20, 100, 4096), read);
    }

    [Fact]
    public void ForClient_CarriesFrameAndMetadataSizeOnly_AsDocumented()
    {
        var payload = Encode(SettingsFrame.ForClient(new Fitten.Client.ClientLimits()));

        // docs/protocol.md §9: MAX_FRAME_SIZE 4 MiB, MAX_METADATA_SIZE 8 KiB.
        Assert.Equal(Convert.FromHexString("000100400000" + "000300002000"), payload);
        Assert.Equal(new SettingsFrame(4 * 1024 * 1024, null, 8 * 1024), Read(payload));
    }

    [Fact]
    public void Read_Empty_CarriesNothing() => Assert.Equal(new SettingsFrame(null, null, null), Read([]));

    [Fact]
    public void Read_UnknownIds_AreIgnored()
    {
        byte[] payload = Convert.FromHexString("0063FFFFFFFF" + "000200000007" + "FFFF00000000");

        Assert.Equal(new SettingsFrame(null, 7, null), Read(payload));
    }

    [Fact]
    public void Read_RepeatedId_TakesTheLastValue()
        => Assert.Equal(new SettingsFrame(null, 9, null), Read(Convert.FromHexString("000200000007" + "000200000009")));

    [Fact]
    public void Read_Ack_IsNullAndMustBeEmpty()
    {
        var ack = Header with { Flags = FrameFlags.Ack };

        Assert.Null(SettingsFrame.Read(ack, ReadOnlySequence<byte>.Empty));
        var ex = Assert.Throws<ProtocolViolationException>(() => SettingsFrame.Read(ack, new ReadOnlySequence<byte>(new byte[6])));
        Assert.Contains("ACK", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001000003FF", "MAX_FRAME_SIZE of 1023 is outside 1024–16777216")]
    [InlineData("000101000001", "MAX_FRAME_SIZE of 16777217 is outside 1024–16777216")]
    [InlineData("000200000000", "MAX_CONCURRENT_CALLS of 0 is outside 1–1000000")]
    [InlineData("0002000F4241", "MAX_CONCURRENT_CALLS of 1000001 is outside 1–1000000")]
    [InlineData("0003000000FF", "MAX_METADATA_SIZE of 255 is outside 256–1048576")]
    [InlineData("000300100001", "MAX_METADATA_SIZE of 1048577 is outside 256–1048576")]
    public void Read_ValueOutOfRange_ProtocolErrorNamingSettingValueAndRange(string hex, string message)
    {
        var ex = Assert.Throws<ProtocolViolationException>(() => Read(Convert.FromHexString(hex)));

        Assert.Equal(GoAwayCode.ProtocolError, ex.Code);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ValuesAtTheRangeEnds_Accepted()
    {
        var low = Read(Convert.FromHexString("000100000400" + "000200000001" + "000300000100"));
        var high = Read(Convert.FromHexString("000101000000" + "0002000F4240" + "000300100000"));

        Assert.Equal(new SettingsFrame(1024, 1, 256), low);
        Assert.Equal(new SettingsFrame(16 * 1024 * 1024, 1_000_000, 1024 * 1024), high);
    }

    [Theory]
    [InlineData(7)] // not whole entries
    [InlineData(6 * 33)] // more than 32 entries
    public void Read_BadLength_ProtocolError(int length)
    {
        var ex = Assert.Throws<ProtocolViolationException>(() => Read(new byte[length]));

        Assert.Equal(GoAwayCode.ProtocolError, ex.Code);
        Assert.Contains($"{length} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OnACallStream_ProtocolError()
    {
        var ex = Assert.Throws<ProtocolViolationException>(() => SettingsFrame.Read(Header with { StreamId = 3 }, ReadOnlySequence<byte>.Empty));

        Assert.Contains("stream 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MultiSegmentPayload_ReadsAcrossSegments()
    {
        byte[] payload = Convert.FromHexString("000200000007" + "000100100000");
        var first = new Segment(payload.AsMemory(0, 4));
        var last = first.Append(payload.AsMemory(4));

        var read = SettingsFrame.Read(Header, new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal(new SettingsFrame(1 << 20, 7, null), read);
    }

    private static byte[] Encode(SettingsFrame settings)
    {
        var payload = new byte[settings.PayloadLength];
        settings.WritePayload(payload);
        return payload;
    }

    private static SettingsFrame? Read(byte[] payload) => SettingsFrame.Read(Header, new ReadOnlySequence<byte>(payload));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
