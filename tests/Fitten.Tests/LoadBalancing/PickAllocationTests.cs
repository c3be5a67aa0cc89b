using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

public class PickAllocationTests
{
    public static TheoryData<string> Policies =>
    [
        LoadBalancingPolicies.RoundRobin,
        LoadBalancingPolicies.WeightedRoundRobin,
        LoadBalancingPolicies.WeightedRandom,
        LoadBalancingPolicies.PowerOfTwoChoices,
        LoadBalancingPolicies.ConsistentHash,
    ];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Pick_AnyPolicy_AllocatesNothing(string name)
    {
        var endpoints = Endpoints.Equal(50);
        Endpoints.Eject(endpoints[7]);
        var picker = LoadBalancingPolicies.GetBuiltIn(name)!.CreatePicker(endpoints);
        var context = new PickContext(12345);
        for (int i = 0; i < 100; i++)
        {
            picker.Pick(context);
        }

        // The best of three rounds: a one-off runtime allocation on this thread (tiered JIT swapping in optimised
        // code mid-loop) must not fail the test, while a pick that allocates allocates in every round.
        long least = long.MaxValue;
        for (int round = 0; round < 3 && least != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                picker.Pick(context);
                picker.Pick(default);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void GetBuiltIn_UnknownOrAnyCase_AsExpected()
    {
        Assert.Null(LoadBalancingPolicies.GetBuiltIn("Nope"));
        Assert.IsType<RoundRobinPolicy>(LoadBalancingPolicies.GetBuiltIn("roundrobin"));
    }
}
