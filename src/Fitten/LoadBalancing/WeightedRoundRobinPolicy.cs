using System.Collections.Immutable;

namespace Fitten.LoadBalancing;

/// <summary>
/// nginx's smooth weighted round robin: over any run of Σweights calls each instance gets exactly its weight's
/// share, spread out rather than in bursts (weights 5,1,1 give a a b a c a a, not a a a a a b c). Each pick
/// is O(instances) under a lock, as in nginx; use weighted random for thousands of instances.
/// </summary>
public sealed class WeightedRoundRobinPolicy : ILoadBalancingPolicy
{
    /// <inheritdoc/>
    public string Name => LoadBalancingPolicies.WeightedRoundRobin;

    /// <inheritdoc/>
    public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints) => new Picker([.. endpoints]);

    private sealed class Picker : IEndpointPicker
    {
        private readonly BalancerEndpoint[] _endpoints;
        private readonly int[] _weights;
        private readonly long[] _current;
        private readonly Lock _lock = new();

        public Picker(BalancerEndpoint[] endpoints)
        {
            _endpoints = endpoints;
            _weights = new int[endpoints.Length];
            _current = new long[endpoints.Length];
            for (int i = 0; i < endpoints.Length; i++)
            {
                _weights[i] = endpoints[i].Instance.Weight;
            }
        }

        public BalancerEndpoint Pick(in PickContext context)
        {
            long now = Environment.TickCount64;
            lock (_lock)
            {
                int best = -1;
                long total = 0;
                for (int i = 0; i < _endpoints.Length; i++)
                {
                    // Ejected endpoints sit out without accumulating credit, so they do not burst on return.
                    if (_endpoints[i].IsEjectedAt(now))
                    {
                        continue;
                    }

                    _current[i] += _weights[i];
                    total += _weights[i];
                    if (best < 0 || _current[i] > _current[best])
                    {
                        best = i;
                    }
                }

                if (best < 0)
                {
                    return _endpoints[Random.Shared.Next(_endpoints.Length)];
                }

                _current[best] -= total;
                return _endpoints[best];
            }
        }
    }
}
