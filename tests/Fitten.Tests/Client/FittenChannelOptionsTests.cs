using Fitten.Client;

namespace Fitten.Tests.Client;

public class FittenChannelOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => new FittenChannelOptions().Validate();

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Validate_BadConnectionsPerEndpoint_Throws(int connections)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FittenChannelOptions { ConnectionsPerEndpoint = connections }.Validate());

    [Fact]
    public void Validate_NonPositiveTimeout_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FittenChannelOptions { Policy = { Timeout = TimeSpan.Zero } }.Validate());

    [Fact]
    public void Validate_BackoffAboveMax_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FittenChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromSeconds(10),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        }.Validate());

    [Fact]
    public void Channel_InvalidOptions_FailsOnCreation()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FittenChannel(
            new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1), new FittenChannelOptions { KeepAliveTimeout = TimeSpan.Zero }));
}
