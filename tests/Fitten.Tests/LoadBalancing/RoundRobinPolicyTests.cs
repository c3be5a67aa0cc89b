using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class RoundRobinPolicyTests
{
    [Fact]
    public void Pick_ThreeEndpoints_EachGetsExactlyAThird()
    {
        var picker = new RoundRobinPolicy().CreatePicker(Endpoints.Equal(3));

        var counts = Endpoints.Count(picker, 300);

        Assert.All(counts.Values, n => Assert.Equal(100, n));
    }

    [Fact]
    public void Pick_EjectedEndpoint_IsSkipped()
    {
        var endpoints = Endpoints.Equal(3);
        Endpoints.Eject(endpoints[1]);
        var picker = new RoundRobinPolicy().CreatePicker(endpoints);

        var counts = Endpoints.Count(picker, 300);

        Assert.False(counts.ContainsKey(endpoints[1]));
        Assert.Equal(300, counts[endpoints[0]] + counts[endpoints[2]]);
    }

    [Fact]
    public void Pick_AllEjected_StillPicks()
    {
        var endpoints = Endpoints.Equal(2);
        Endpoints.Eject(endpoints[0]);
        Endpoints.Eject(endpoints[1]);

        Assert.NotNull(new RoundRobinPolicy().CreatePicker(endpoints).Pick(default));
    }
}
