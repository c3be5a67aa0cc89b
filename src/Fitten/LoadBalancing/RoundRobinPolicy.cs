using System.Collections.Immutable;

namespace Fitten.LoadBalancing;

/// <summary>Sends calls to each available instance in turn, ignoring weights.</summary>
public sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public string Name => LoadBalancingPolicies.RoundRobin;

    /// <inheritdoc/>
    public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints) => new Picker([.. endpoints]);

    private sealed class Picker(BalancerEndpoint[] endpoints) : IEndpointPicker
    {
        // Start at a random place so that many clients created together do not all hit the first instance.
        private int _next = Random.Shared.Next();

        public BalancerEndpoint Pick(in PickContext context)
        {
            uint start = (uint)Interlocked.Increment(ref _next);
            long now = Environment.TickCount64;
            for (int i = 0; i < endpoints.Length; i++)
            {
                var endpoint = endpoints[(int)((start + (uint)i) % (uint)endpoints.Length)];
                if (!endpoint.IsEjectedAt(now))
                {
                    return endpoint;
                }
            }

            return endpoints[(int)(start % (uint)endpoints.Length)];
        }
    }
}
