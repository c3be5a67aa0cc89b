namespace Fitten.LoadBalancing;

/// <summary>Names of the built-in load-balancing policies, and lookup by name.</summary>
public static class LoadBalancingPolicies
{
    /// <summary>Each available instance in turn.</summary>
    public const string RoundRobin = "RoundRobin";

    /// <summary>Each instance in proportion to its weight, interleaved smoothly (nginx's smooth weighted round robin).</summary>
    public const string WeightedRoundRobin = "WeightedRoundRobin";

    /// <summary>A random instance, each with a probability proportional to its weight.</summary>
    public const string WeightedRandom = "WeightedRandom";

    /// <summary>The less loaded of two random instances, load being EWMA latency × calls in flight (go-zero's p2c_ewma). The default.</summary>
    public const string PowerOfTwoChoices = "PowerOfTwoChoices";

    /// <summary>A hash ring with virtual nodes: calls with the same hash key go to the same instance.</summary>
    public const string ConsistentHash = "ConsistentHash";

    /// <summary>The built-in policy named <paramref name="name"/> (ordinal, case-insensitive), or null.</summary>
    public static ILoadBalancingPolicy? GetBuiltIn(string name) => name switch
    {
        _ when Is(name, RoundRobin) => new RoundRobinPolicy(),
        _ when Is(name, WeightedRoundRobin) => new WeightedRoundRobinPolicy(),
        _ when Is(name, WeightedRandom) => new WeightedRandomPolicy(),
        _ when Is(name, PowerOfTwoChoices) => new PowerOfTwoChoicesPolicy(),
        _ when Is(name, ConsistentHash) => new ConsistentHashPolicy(),
        _ => null,
    };

    private static bool Is(string name, string builtIn) => string.Equals(name, builtIn, StringComparison.OrdinalIgnoreCase);
}
