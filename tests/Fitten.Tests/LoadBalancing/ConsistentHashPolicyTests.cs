using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class ConsistentHashPolicyTests
{
    private const int Keys = 10_000;

    [Fact]
    public void Pick_SameKey_SameEndpointAcrossRebuilds()
    {
        var endpoints = Endpoints.Equal(5);
        var first = new ConsistentHashPolicy().CreatePicker(endpoints);
        var second = new ConsistentHashPolicy().CreatePicker([.. endpoints.Reverse()]);

        for (int i = 0; i < 1000; i++)
        {
            var context = PickContext.ForKey("user-" + i);
            Assert.Same(first.Pick(context), first.Pick(context));
            Assert.Same(first.Pick(context), second.Pick(context));
        }
    }

    [Fact]
    public void Pick_FourthEndpointAdded_MovesAboutAQuarterOfKeysAllToIt()
    {
        var endpoints = Endpoints.Equal(4);
        var before = new ConsistentHashPolicy().CreatePicker(endpoints[..3]);
        var after = new ConsistentHashPolicy().CreatePicker(endpoints);

        int moved = 0;
        for (int i = 0; i < Keys; i++)
        {
            var context = PickContext.ForKey("key:" + i);
            var now = after.Pick(context);
            if (now != before.Pick(context))
            {
                moved++;
                Assert.Same(endpoints[3], now);
            }
        }

        // Ideal 25%; 160 virtual nodes keep each share within a few points of it.
        Assert.InRange(moved / (double)Keys, 0.15, 0.35);
    }

    [Fact]
    public void Pick_TenEndpoints_SharesNearEven()
    {
        var endpoints = Endpoints.Equal(10);
        var picker = new ConsistentHashPolicy().CreatePicker(endpoints);
        var counts = new Dictionary<BalancerEndpoint, int>();
        for (int i = 0; i < Keys; i++)
        {
            var endpoint = picker.Pick(PickContext.ForKey("order-" + i));
            counts[endpoint] = counts.GetValueOrDefault(endpoint) + 1;
        }

        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, Keys / 10 * 0.6, Keys / 10 * 1.4));
    }

    [Fact]
    public void Pick_OwnerEjected_KeyMovesAndComesBack()
    {
        var endpoints = Endpoints.Equal(3);
        var picker = new ConsistentHashPolicy().CreatePicker(endpoints);
        var context = PickContext.ForKey("sticky");
        var owner = picker.Pick(context);

        Endpoints.Eject(owner);
        Assert.NotSame(owner, picker.Pick(context));

        owner.EjectedUntil = 0;
        Assert.Same(owner, picker.Pick(context));
    }

    [Fact]
    public void Constructor_BadVirtualNodes_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ConsistentHashPolicy(0));
}
