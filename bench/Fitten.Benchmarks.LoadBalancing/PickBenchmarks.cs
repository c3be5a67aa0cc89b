using BenchmarkDotNet.Attributes;
using Fitten.LoadBalancing;

namespace Fitten.Benchmarks.LoadBalancing;

/// <summary>One pick per operation, per policy, over 10 and 1,000 instances. Budget: 0 bytes allocated per pick.</summary>
[MemoryDiagnoser]
public class PickBenchmarks
{
    private IEndpointPicker _picker = null!;
    private PickContext _context;
    private int _key;
    private bool _hashed;

    /// <summary>Instances behind the picker.</summary>
    [Params(10, 1000)]
    public int Instances { get; set; }

    /// <summary>The policy measured.</summary>
    [Params(
        LoadBalancingPolicies.RoundRobin,
        LoadBalancingPolicies.WeightedRoundRobin,
        LoadBalancingPolicies.WeightedRandom,
        LoadBalancingPolicies.PowerOfTwoChoices,
        LoadBalancingPolicies.ConsistentHash)]
    public string Policy { get; set; } = LoadBalancingPolicies.RoundRobin;

    /// <summary>Builds the picker (not measured).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _picker = LoadBalancingPolicies.GetBuiltIn(Policy)!.CreatePicker(EndpointSets.Create(Instances));
        _context = new PickContext(0x9E3779B97F4A7C15);
        _hashed = Policy == LoadBalancingPolicies.ConsistentHash;
    }

    /// <summary>One pick; consistent hashing gets a different key each time so lookups are not all the same path.</summary>
    [Benchmark]
    public BalancerEndpoint Pick()
    {
        var context = _hashed ? new PickContext(_context.HashKey * (ulong)++_key) : _context;
        return _picker.Pick(context);
    }
}
