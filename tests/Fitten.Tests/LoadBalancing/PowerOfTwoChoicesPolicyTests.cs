using System.Diagnostics;
using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class PowerOfTwoChoicesPolicyTests
{
    [Fact]
    public void Pick_TwoEndpointsOneBusy_PicksTheIdleOne()
    {
        var endpoints = Endpoints.Equal(2);
        Measure(endpoints[0], 1);
        Measure(endpoints[1], 1);
        for (int i = 0; i < 10; i++)
        {
            endpoints[0].BeginCall();
        }

        var picker = new PowerOfTwoChoicesPolicy().CreatePicker(endpoints);
        var counts = Endpoints.Count(picker, 100);

        // The busy one may get one forced pick (unpicked for over a second), never more in a burst.
        Assert.InRange(counts.GetValueOrDefault(endpoints[0]), 0, 1);
    }

    [Fact]
    public void Pick_SlowEndpoint_GetsFarLessTraffic()
    {
        var endpoints = Endpoints.Equal(3);
        Measure(endpoints[0], 1);
        Measure(endpoints[1], 1);
        Measure(endpoints[2], 200);
        var picker = new PowerOfTwoChoicesPolicy().CreatePicker(endpoints);

        var counts = Endpoints.Count(picker, 3000);

        Assert.InRange(counts.GetValueOrDefault(endpoints[2]), 0, 10);
    }

    [Fact]
    public void Pick_EjectedEndpoint_LosesToAnyOther()
    {
        var endpoints = Endpoints.Equal(2);
        Measure(endpoints[0], 1);
        Measure(endpoints[1], 100);
        Endpoints.Eject(endpoints[0]);

        var counts = Endpoints.Count(new PowerOfTwoChoicesPolicy().CreatePicker(endpoints), 100);

        Assert.Equal(100, counts[endpoints[1]]);
    }

    [Fact]
    public void EndCall_Failures_MarkUnhealthy()
    {
        var endpoint = Endpoints.Equal(1)[0];
        Assert.True(endpoint.IsHealthy);

        endpoint.EndCall(endpoint.BeginCall(), success: false);

        // The first sample replaces the initial state entirely (go-zero), so one failure marks it unhealthy.
        Assert.False(endpoint.IsHealthy);
        Assert.Equal(0, endpoint.InFlight);
    }

    /// <summary>Gives <paramref name="endpoint"/> a latency sample of about <paramref name="ms"/> milliseconds.</summary>
    private static void Measure(BalancerEndpoint endpoint, int ms)
    {
        endpoint.BeginCall();
        endpoint.EndCall(Stopwatch.GetTimestamp() - (ms * Stopwatch.Frequency / 1000), success: true);
    }
}
