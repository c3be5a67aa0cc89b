using Fitten.Health;
using Fitten.LoadBalancing;

namespace Fitten.Client;

/// <summary>Options of a <see cref="ServiceChannel"/>. Checked when the channel is created.</summary>
public sealed class ServiceChannelOptions
{
    /// <summary>
    /// Name of the load-balancing policy: a built-in one from <see cref="LoadBalancingPolicies"/> or one added to
    /// <see cref="Policies"/>. Default: <see cref="LoadBalancingPolicies.PowerOfTwoChoices"/>, go-zero's default,
    /// because it steers calls away from slow instances without configuration.
    /// </summary>
    public string LoadBalancingPolicy { get; set; } = LoadBalancingPolicies.PowerOfTwoChoices;

    /// <summary>Policies of your own, or built-in ones configured differently; found by name before the built-in ones.</summary>
    public IList<ILoadBalancingPolicy> Policies { get; } = [];

    /// <summary>
    /// Request header whose value is the consistent-hash key of calls that set no <see cref="CallOptions.HashKey"/>.
    /// Default: none.
    /// </summary>
    public string? HashKeyHeader { get; set; }

    /// <summary>
    /// How long calls made before the registry first answered wait for it, at most (their own timeout may be
    /// shorter). Then they fail UNAVAILABLE, not processed, instead of hanging on a registry that cannot be
    /// reached. Default: 10 s, long enough for a registry that is starting, short enough to surface a wrong
    /// address quickly. Range 1 ms to 5 min.
    /// </summary>
    public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Options of the channel to each instance (connections per instance, keepalive, caller), and of this channel's
    /// own pipeline: its <see cref="FittenChannelOptions.Policy"/> (timeouts, retries; a retry of a call an instance
    /// could not take goes to another instance) and <see cref="FittenChannelOptions.Interceptors"/>.
    /// </summary>
    public FittenChannelOptions Channel { get; } = new();

    /// <summary>
    /// A circuit breaker per instance, after the balancer's pick (off unless <c>Enabled</c>): the same rules as a
    /// method's breaker (failure ratio, slow-call ratio, probes, growing breaks; docs/governance.md), judged per
    /// instance; while an instance's breaker is open the balancer picks another instance instead, so the call does
    /// not fail. Bound from <c>Fitten:Clients:{service}:InstanceCircuitBreaker</c>.
    /// </summary>
    public Resilience.CircuitBreakerOptions InstanceCircuitBreaker { get; } = new();

    /// <summary>Passive health checking of instances.</summary>
    public OutlierDetectionOptions OutlierDetection { get; } = new();

    /// <summary>Throws when any option is out of range or names an unknown policy.</summary>
    public void Validate()
    {
        _ = ResolvePolicy();
        if (ResolveTimeout < TimeSpan.FromMilliseconds(1) || ResolveTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(ResolveTimeout), ResolveTimeout, "ResolveTimeout must be between 1 ms and 5 min.");
        }

        if (HashKeyHeader is { Length: 0 })
        {
            throw new ArgumentException("HashKeyHeader must not be empty; use null for none.", nameof(HashKeyHeader));
        }

        // The call policy (Channel.Policy) is bound from, and named by, the root of the client's section.
        Channel.Policy.Validate();
        InstanceCircuitBreaker.Validate(string.Empty, nameof(InstanceCircuitBreaker));
        Nested(nameof(Channel), Channel.Validate);
        Nested(nameof(OutlierDetection), OutlierDetection.Validate);
    }

    /// <summary>Runs a nested options object's checks; a complaint names its key under this one ("Channel:ConnectTimeout").</summary>
    private static void Nested(string name, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new ArgumentOutOfRangeException(name + ":" + ex.ParamName, ex.ActualValue, Message(ex));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(Message(ex), name + ":" + ex.ParamName, ex);
        }

        static string Message(ArgumentException ex) => ex.Message.Split(" (Parameter '")[0];
    }

    internal ILoadBalancingPolicy ResolvePolicy()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LoadBalancingPolicy, nameof(LoadBalancingPolicy));
        foreach (var policy in Policies)
        {
            if (string.Equals(policy.Name, LoadBalancingPolicy, StringComparison.OrdinalIgnoreCase))
            {
                return policy;
            }
        }

        return LoadBalancingPolicies.GetBuiltIn(LoadBalancingPolicy)
            ?? throw new ArgumentException($"Unknown load-balancing policy '{LoadBalancingPolicy}'. Built in: {LoadBalancingPolicies.RoundRobin}, {LoadBalancingPolicies.WeightedRoundRobin}, {LoadBalancingPolicies.WeightedRandom}, {LoadBalancingPolicies.PowerOfTwoChoices}, {LoadBalancingPolicies.ConsistentHash}.", nameof(LoadBalancingPolicy));
    }
}
