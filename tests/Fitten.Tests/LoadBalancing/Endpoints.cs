using System.Collections.Immutable;
using Fitten.Discovery;
using Fitten.LoadBalancing;

namespace Fitten.Tests.LoadBalancing;

/// <summary>Balancer endpoints with no channels, for unit tests of the policies.</summary>
internal static class Endpoints
{
    public static ImmutableArray<BalancerEndpoint> Create(params int[] weights)
    {
        var builder = ImmutableArray.CreateBuilder<BalancerEndpoint>(weights.Length);
        for (int i = 0; i < weights.Length; i++)
        {
            builder.Add(new BalancerEndpoint(new ServiceInstance("s", "10.0.0." + (i + 1), 5000) { Weight = weights[i] }));
        }

        return builder.MoveToImmutable();
    }

    public static ImmutableArray<BalancerEndpoint> Equal(int count) => Create(Enumerable.Repeat(ServiceInstance.DefaultWeight, count).ToArray());

    public static Dictionary<BalancerEndpoint, int> Count(IEndpointPicker picker, int picks, PickContext context = default)
    {
        var counts = new Dictionary<BalancerEndpoint, int>();
        for (int i = 0; i < picks; i++)
        {
            var endpoint = picker.Pick(context);
            counts[endpoint] = counts.GetValueOrDefault(endpoint) + 1;
        }

        return counts;
    }

    public static void Eject(BalancerEndpoint endpoint) => endpoint.EjectedUntil = Environment.TickCount64 + 600_000;
}
