using System.Collections.Immutable;
using System.Globalization;
using Fitten.Discovery;
using Fitten.LoadBalancing;

namespace Fitten.Benchmarks.LoadBalancing;

/// <summary>Instances at distinct loopback-like addresses with mixed weights and a latency sample each.</summary>
internal static class EndpointSets
{
    public static ImmutableArray<BalancerEndpoint> Create(int count)
    {
        var builder = ImmutableArray.CreateBuilder<BalancerEndpoint>(count);
        for (int i = 0; i < count; i++)
        {
            var instance = new ServiceInstance("bench", string.Create(CultureInfo.InvariantCulture, $"10.{i / 65536}.{i / 256 % 256}.{i % 256}"), 5000)
            {
                Weight = 50 + (i % 4 * 50),
            };
            var endpoint = new BalancerEndpoint(instance);
            endpoint.EndCall(endpoint.BeginCall() - (i % 7 * 1000), success: true);
            builder.Add(endpoint);
        }

        return builder.MoveToImmutable();
    }
}
