using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

public class FrameHeaderTests
{
    [Fact]
    public void WriteThenRead_RoundTripsEveryField()
    {
        var header = new FrameHeader(0x01020304, FrameType.Response, FrameFlags.EndStream | FrameFlags.Refused, 0xA0B0C0D0);
        var bytes = new byte[FrameHeader.Size];

        header.Write(bytes);

        Assert.Equal([0x01, 0x02, 0x03, 0x04, 0x02, 0x03, 0xA0, 0xB0, 0xC0, 0xD0], bytes);
        Assert.Equal(header, FrameHeader.Read(bytes));
    }

    [Fact]
    public void Read_LengthAboveInt32_ThrowsFrameSizeError()
    {
        byte[] bytes = [0x80, 0, 0, 0, 1, 0, 0, 0, 0, 1];

        var ex = Assert.Throws<ProtocolViolationException>(() => FrameHeader.Read(bytes));

        Assert.Equal(GoAwayCode.FrameSizeError, ex.Code);
    }
}
