using System.Net;
using Fitten.Client;

namespace Fitten.Tests.Client;

public class FittenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000)]
    [InlineData("[::1]:7000", "::1", 7000)]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1", 8080)]
    public void Parse_IpForms_GiveIpEndPoint(string address, string ip, int port)
    {
        var endPoint = Assert.IsType<IPEndPoint>(FittenAddress.Parse(address));

        Assert.Equal(IPAddress.Parse(ip), endPoint.Address);
        Assert.Equal(port, endPoint.Port);
    }

    [Fact]
    public void Parse_HostName_GivesDnsEndPoint()
    {
        var endPoint = Assert.IsType<DnsEndPoint>(FittenAddress.Parse("orders.internal:5000"));

        Assert.Equal("orders.internal", endPoint.Host);
        Assert.Equal(5000, endPoint.Port);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData(":5000")]
    public void Parse_Invalid_ThrowsFormatExceptionSayingWhatIsExpected(string address)
        => Assert.Contains("expected", Assert.Throws<FormatException>(() => FittenAddress.Parse(address)).Message);
}
