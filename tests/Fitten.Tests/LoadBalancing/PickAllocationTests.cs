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

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            picker.Pick(context);
            picker.Pick(default);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GetBuiltIn_UnknownOrAnyCase_AsExpected()
    {
        Assert.Null(LoadBalancingPolicies.GetBuiltIn("Nope"));
        Assert.IsType<RoundRobinPolicy>(LoadBalancingPolicies.GetBuiltIn("roundrobin"));
    }
}
