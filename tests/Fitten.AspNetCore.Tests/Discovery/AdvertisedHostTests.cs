using System.Net;
using Fitten.AspNetCore.Discovery;

namespace Fitten.AspNetCore.Tests.Discovery;

/// <summary>The host published for a bound endpoint, over given address lists (the machine's own are in ServiceRegistrationTests).</summary>
public sealed class AdvertisedHostTests
{
    private static readonly IPAddress[] LoopbackOnly = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    [Fact]
    public void Choose_IPv6ListedFirst_PrefersIPv4()
    {
        IPAddress[] machine = [IPAddress.Loopback, IPAddress.Parse("fe80::1"), IPAddress.Parse("fd00::2"), IPAddress.Parse("10.0.0.7"), IPAddress.Parse("10.0.0.8")];

        Assert.Equal(IPAddress.Parse("10.0.0.7"), AdvertisedHost.Choose(machine, ipv4Only: false));
    }

    [Fact]
    public void Choose_IPv6Only_SkipsLinkLocalOrGivesNoneForIPv4Bindings()
    {
        IPAddress[] machine = [IPAddress.IPv6Loopback, IPAddress.Parse("fe80::1"), IPAddress.Parse("fd00::2")];

        Assert.Equal(IPAddress.Parse("fd00::2"), AdvertisedHost.Choose(machine, ipv4Only: false));
        Assert.Null(AdvertisedHost.Choose(machine, ipv4Only: true));
    }

    [Fact]
    public void For_WildcardOnALoopbackOnlyMachine_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => AdvertisedHost.For(new IPEndPoint(IPAddress.Any, 5101), new RegistryOptions(), () => LoopbackOnly));

        Assert.Contains("0.0.0.0:5101", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set Fitten:Registry:AdvertisedHost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_IPv6WildcardOnAnIPv6OnlyMachine_PublishesTheIPv6Address()
    {
        // Kestrel binds [::] dual-mode; with no IPv4 address the machine's IPv6 one is what others reach.
        string host = AdvertisedHost.For(new IPEndPoint(IPAddress.IPv6Any, 5101), new RegistryOptions(), () => [IPAddress.IPv6Loopback, IPAddress.Parse("fd00::2")]);

        Assert.Equal("fd00::2", host);
    }

    [Theory]
    [InlineData("rpc.example.test", "rpc.example.test")]
    [InlineData(" 10.0.0.7 ", "10.0.0.7")]
    [InlineData("[fd00::2]", "fd00::2")]
    public void For_WildcardWithAdvertisedHost_PublishesItBare(string configured, string published)
    {
        var options = new RegistryOptions { AdvertisedHost = configured };

        Assert.Null(AdvertisedHost.Problem(configured, options.AdvertisedHostKey));
        Assert.Equal(published, AdvertisedHost.For(new IPEndPoint(IPAddress.IPv6Any, 5101), options, () => LoopbackOnly));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.7")]
    public void For_SpecificAddress_PublishesItWhateverIsAdvertised(string bound)
    {
        var options = new RegistryOptions { AdvertisedHost = "rpc.example.test" };

        Assert.Equal(bound, AdvertisedHost.For(new IPEndPoint(IPAddress.Parse(bound), 5101), options, () => throw new InvalidOperationException("not asked")));
    }
}
