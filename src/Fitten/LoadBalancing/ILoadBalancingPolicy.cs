using System.Collections.Immutable;

namespace Fitten.LoadBalancing;

/// <summary>
/// A way of spreading calls over a service's instances, chosen by <see cref="Name"/> in
/// <c>ServiceChannelOptions.LoadBalancingPolicy</c>. Built-in names are in <see cref="LoadBalancingPolicies"/>.
/// </summary>
public interface ILoadBalancingPolicy
{
    /// <summary>The name configuration refers to, e.g. "RoundRobin".</summary>
    string Name { get; }

    /// <summary>
    /// Builds a picker over <paramref name="endpoints"/> (never empty). Called again, off the call path, each
    /// time the instances change; calls in flight keep the picker they started with.
    /// </summary>
    IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints);
}
