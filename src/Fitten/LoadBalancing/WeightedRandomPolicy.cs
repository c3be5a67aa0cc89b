using System.Collections.Immutable;

namespace Fitten.LoadBalancing;

/// <summary>
/// Picks a random instance with probability proportional to its weight: a binary search over cumulative
/// weights, O(log instances) and lock-free, so it suits large instance sets.
/// </summary>
public sealed class WeightedRandomPolicy : ILoadBalancingPolicy
{
    /// <summary>Random draws tried before scanning for an endpoint that is not ejected.</summary>
    private const int Draws = 3;

    /// <inheritdoc/>
    public string Name => LoadBalancingPolicies.WeightedRandom;

    /// <inheritdoc/>
    public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints) => new Picker([.. endpoints]);

    private sealed class Picker : IEndpointPicker
    {
        private readonly BalancerEndpoint[] _endpoints;
        private readonly long[] _cumulative;

        public Picker(BalancerEndpoint[] endpoints)
        {
            _endpoints = endpoints;
            _cumulative = new long[endpoints.Length];
            long total = 0;
            for (int i = 0; i < endpoints.Length; i++)
            {
                total += endpoints[i].Instance.Weight;
                _cumulative[i] = total;
            }
        }

        public BalancerEndpoint Pick(in PickContext context)
        {
            long now = Environment.TickCount64;
            int index = 0;
            for (int draw = 0; draw < Draws; draw++)
            {
                long r = Random.Shared.NextInt64(_cumulative[^1]);
                index = Array.BinarySearch(_cumulative, r + 1);
                index = index < 0 ? ~index : index;
                if (!_endpoints[index].IsEjectedAt(now))
                {
                    return _endpoints[index];
                }
            }

            // Mostly ejected: walk on from the last draw to the next endpoint in rotation, else use it anyway.
            for (int i = 1; i < _endpoints.Length; i++)
            {
                var endpoint = _endpoints[(index + i) % _endpoints.Length];
                if (!endpoint.IsEjectedAt(now))
                {
                    return endpoint;
                }
            }

            return _endpoints[index];
        }
    }
}
