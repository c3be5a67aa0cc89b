using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class WeightedRandomPolicyTests
{
    [Fact]
    public void Pick_Weights123_SharesWithinTwoPointsOfWeights()
    {
        var endpoints = Endpoints.Create(100, 200, 300);
        var counts = Endpoints.Count(new WeightedRandomPolicy().CreatePicker(endpoints), 60_000);

        // 60,000 draws: one standard deviation of each share is under 0.2 points, so ±2 points never fails by chance.
        Assert.InRange(counts[endpoints[0]] / 600.0, 100 / 6.0 - 2, 100 / 6.0 + 2);
        Assert.InRange(counts[endpoints[1]] / 600.0, 200 / 6.0 - 2, 200 / 6.0 + 2);
        Assert.InRange(counts[endpoints[2]] / 600.0, 300 / 6.0 - 2, 300 / 6.0 + 2);
    }

    [Fact]
    public void Pick_HeavyEndpointEjected_OthersTakeAllCalls()
    {
        var endpoints = Endpoints.Create(1, 1, 10_000);
        Endpoints.Eject(endpoints[2]);

        var counts = Endpoints.Count(new WeightedRandomPolicy().CreatePicker(endpoints), 1000);

        Assert.False(counts.ContainsKey(endpoints[2]));
    }
}
