using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

public class FittenProtocolTests
{
    [Fact]
    public void WritePreface_IsMagicThenVersion()
    {
        var preface = new byte[FittenProtocol.PrefaceLength];

        FittenProtocol.WritePreface(preface);

        Assert.Equal([0xF1, (byte)'F', (byte)'I', (byte)'T', (byte)'T', (byte)'E', (byte)'N', FittenProtocol.Version], preface);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("POST /x HTTP/1.1")]
    [InlineData("PRI * HTTP/2.0")]
    public void MagicFirstByte_IsNeverTheFirstByteOfHttp(string start)
        => Assert.NotEqual(FittenProtocol.MagicFirstByte, (byte)start[0]);

    [Fact]
    public void CouldBePreface_PartialMagic_True_Divergent_False()
    {
        Assert.True(FittenProtocol.CouldBePreface([0xF1, (byte)'F']));
        Assert.False(FittenProtocol.CouldBePreface([0xF1, (byte)'X']));
        Assert.False(FittenProtocol.CouldBePreface("GET"u8));
    }
}
