namespace Fitten.Tests.Calls;

public class MethodTests
{
    [Fact]
    public void Constructor_Valid_SetsNames()
    {
        var method = new Method<byte[], byte[]>("shop.orders", "Get", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

        Assert.Equal("shop.orders/Get", method.FullName);
        Assert.Equal("shop.orders/Get"u8.ToArray(), method.FullNameUtf8);
        Assert.True(method.IsIdempotent);
    }

    [Theory]
    [InlineData("shop orders", "Get")]
    [InlineData("shop/orders", "Get")]
    [InlineData("shop", "Get-It")]
    [InlineData("", "Get")]
    [InlineData("shop", "")]
    public void Constructor_InvalidNames_Throws(string service, string name)
        => Assert.ThrowsAny<ArgumentException>(() => new Method<byte[], byte[]>(service, name, BytesMarshaller.Instance, BytesMarshaller.Instance));

    [Fact]
    public void Constructor_TooLongFullName_Throws()
        => Assert.Throws<ArgumentException>(() => new Method<byte[], byte[]>(new string('s', 200), new string('m', 100), BytesMarshaller.Instance, BytesMarshaller.Instance));
}
