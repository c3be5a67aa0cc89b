using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class WeightedRoundRobinPolicyTests
{
    [Fact]
    public void Pick_Weights511_SmoothNginxSequence()
    {
        var endpoints = Endpoints.Create(5, 1, 1);
        var picker = new WeightedRoundRobinPolicy().CreatePicker(endpoints);

        var sequence = new int[7];
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] = endpoints.IndexOf(picker.Pick(default));
        }

        // nginx's documented sequence for weights 5, 1, 1: a a b a c a a.
        Assert.Equal([0, 0, 1, 0, 2, 0, 0], sequence);
    }

    [Fact]
    public void Pick_OneCycle_EachGetsExactlyItsWeight()
    {
        var endpoints = Endpoints.Create(100, 200, 300);
        var picker = new WeightedRoundRobinPolicy().CreatePicker(endpoints);

        var counts = Endpoints.Count(picker, 600 * 5);

        Assert.Equal(500, counts[endpoints[0]]);
        Assert.Equal(1000, counts[endpoints[1]]);
        Assert.Equal(1500, counts[endpoints[2]]);
    }

    [Fact]
    public void Pick_EjectedEndpoint_IsSkipped()
    {
        var endpoints = Endpoints.Create(100, 200, 300);
        Endpoints.Eject(endpoints[2]);
        var counts = Endpoints.Count(new WeightedRoundRobinPolicy().CreatePicker(endpoints), 300);

        Assert.False(counts.ContainsKey(endpoints[2]));
        Assert.Equal(100, counts[endpoints[0]]);
        Assert.Equal(200, counts[endpoints[1]]);
    }
}
