using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

public class VarintTests
{
    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(16_383UL, 2)]
    [InlineData(16_384UL, 3)]
    [InlineData(ulong.MaxValue, 10)]
    public void WriteThenRead_RoundTrips_WithExpectedSize(ulong value, int size)
    {
        var buffer = new byte[Varint.MaxLength64];

        int written = Varint.Write(buffer, value);
        int read = Varint.TryRead(buffer, out ulong back);

        Assert.Equal(size, written);
        Assert.Equal(size, Varint.SizeOf(value));
        Assert.Equal(written, read);
        Assert.Equal(value, back);
    }

    [Fact]
    public void TryRead_Truncated_ReturnsZero()
    {
        Assert.Equal(0, Varint.TryRead([0x80, 0x80], out _));
        Assert.Equal(0, Varint.TryRead([], out _));
    }

    [Fact]
    public void TryRead_LongerThanTenBytes_ReturnsZero()
        => Assert.Equal(0, Varint.TryRead(Enumerable.Repeat((byte)0xFF, 11).ToArray(), out _));

    [Theory]
    [InlineData((byte)0x02)] // bit 64
    [InlineData((byte)0x7F)]
    public void TryRead_TenthByteCarriesBitsPast64_ReturnsZero(byte last)
    {
        byte[] tenBytes = [.. Enumerable.Repeat((byte)0xFF, 9), last];

        Assert.Equal(0, Varint.TryRead(tenBytes, out ulong value));
        Assert.Equal(0UL, value);
    }
}
