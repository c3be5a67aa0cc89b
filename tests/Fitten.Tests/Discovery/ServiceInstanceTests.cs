using System.Collections.Immutable;
using System.Net;
using Fitten.Discovery;

namespace Fitten.Tests.Discovery;

public class ServiceInstanceTests
{
    [Fact]
    public void Equals_SameValuesAndTags_AreEqual()
    {
        var a = new ServiceInstance("shop.orders", "10.0.0.1", 5000) { Weight = 50, Zone = "a", Tags = ImmutableSortedDictionary<string, string>.Empty.Add("env", "canary") };
        var b = new ServiceInstance("shop.orders", "10.0.0.1", 5000) { Weight = 50, Zone = "a", Tags = ImmutableSortedDictionary<string, string>.Empty.Add("env", "canary") };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentTagValue_AreNotEqual()
    {
        var a = new ServiceInstance("s", "h", 1) { Tags = ImmutableSortedDictionary<string, string>.Empty.Add("env", "canary") };

        Assert.NotEqual(a, a with { Tags = ImmutableSortedDictionary<string, string>.Empty.Add("env", "prod") });
        Assert.NotEqual(a, a with { Weight = 1 });
        Assert.True(a.HasSameAddress(a with { Weight = 1 }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ServiceInstance.MaxWeight + 1)]
    public void Weight_OutOfRange_Throws(int weight)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceInstance("s", "h", 1) { Weight = weight });

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Constructor_BadPort_Throws(int port)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceInstance("s", "h", port));

    [Fact]
    public void Address_IPv6_IsBracketed()
    {
        var instance = new ServiceInstance("s", "::1", 80);

        Assert.Equal("[::1]:80", instance.Address);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 80), instance.ToEndPoint());
        Assert.IsType<DnsEndPoint>(new ServiceInstance("s", "orders.local", 80).ToEndPoint());
    }

    [Fact]
    public void InstanceSet_TwoAtOneAddress_Throws()
        => Assert.Throws<ArgumentException>(() => new ServiceInstanceSet("s", [new("s", "h", 1), new ServiceInstance("s", "H", 1) { Weight = 5 }], 1));

    [Fact]
    public void InstanceSet_OtherService_Throws()
        => Assert.Throws<ArgumentException>(() => new ServiceInstanceSet("s", [new("t", "h", 1)], 1));
}
