using System.Collections.Immutable;

namespace Fitten.LoadBalancing;

/// <summary>
/// A hash ring with virtual nodes (ketama): a call's hash key (<c>CallOptions.HashKey</c>, or the header named by
/// <c>ServiceChannelOptions.HashKeyHeader</c>) maps to the first virtual node clockwise, so the same key goes to
/// the same instance, and adding one of N instances moves only about 1/N of the keys. Lookup is a binary search,
/// O(log(instances × virtual nodes)). A call without a key goes to a random instance. An ejected instance's keys
/// go to the next instance on the ring and come back when it returns.
/// </summary>
public sealed class ConsistentHashPolicy : ILoadBalancingPolicy
{
    /// <summary>
    /// Virtual nodes of an instance of the default weight. Default: 160, ketama's number: with it the busiest of
    /// ten instances holds within about 10% of the mean share of keys.
    /// </summary>
    public const int DefaultVirtualNodes = 160;

    /// <summary>Creates the policy with <paramref name="virtualNodes"/> virtual nodes per instance of the default weight (1 to 1,000).</summary>
    public ConsistentHashPolicy(int virtualNodes = DefaultVirtualNodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(virtualNodes, 1000);
        VirtualNodes = virtualNodes;
    }

    /// <summary>Virtual nodes of an instance of the default weight; others get proportionally more or fewer (at least 1, at most 10×).</summary>
    public int VirtualNodes { get; }

    /// <inheritdoc/>
    public string Name => LoadBalancingPolicies.ConsistentHash;

    /// <inheritdoc/>
    public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints) => new Ring([.. endpoints], VirtualNodes);

    private sealed class Ring : IEndpointPicker
    {
        private readonly BalancerEndpoint[] _endpoints;
        private readonly ulong[] _hashes;
        private readonly int[] _owners;

        public Ring(BalancerEndpoint[] endpoints, int virtualNodes)
        {
            _endpoints = endpoints;
            var counts = new int[endpoints.Length];
            int total = 0;
            for (int i = 0; i < endpoints.Length; i++)
            {
                long scaled = (long)virtualNodes * endpoints[i].Instance.Weight / Discovery.ServiceInstance.DefaultWeight;
                counts[i] = (int)Math.Clamp(scaled, 1, virtualNodes * 10L);
                total += counts[i];
            }

            _hashes = new ulong[total];
            _owners = new int[total];
            int n = 0;
            for (int i = 0; i < endpoints.Length; i++)
            {
                // Points derive from the address only, so every client builds the same ring from the same instances.
                ulong seed = KeyHash.Of(endpoints[i].Instance.Address);
                for (int v = 0; v < counts[i]; v++)
                {
                    _hashes[n] = KeyHash.Mix(seed + ((ulong)(v + 1) * 0x9E3779B97F4A7C15));
                    _owners[n] = i;
                    n++;
                }
            }

            Array.Sort(_hashes, _owners);
        }

        public BalancerEndpoint Pick(in PickContext context)
        {
            if (!context.HasHashKey)
            {
                return _endpoints[Random.Shared.Next(_endpoints.Length)];
            }

            int index = Array.BinarySearch(_hashes, context.HashKey);
            index = index < 0 ? ~index : index;
            long now = Environment.TickCount64;
            for (int step = 0; step < _hashes.Length; step++)
            {
                var endpoint = _endpoints[_owners[(index + step) % _hashes.Length]];
                if (!endpoint.IsEjectedAt(now))
                {
                    return endpoint;
                }
            }

            return _endpoints[_owners[index % _hashes.Length]];
        }
    }
}
