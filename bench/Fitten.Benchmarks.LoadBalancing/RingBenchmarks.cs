using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Fitten.LoadBalancing;

namespace Fitten.Benchmarks.LoadBalancing;

/// <summary>Rebuilding the consistent-hash ring (160 virtual nodes per default-weight instance) for 1,000 instances.</summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private readonly ConsistentHashPolicy _policy = new();
    private ImmutableArray<BalancerEndpoint> _endpoints;

    /// <summary>Instances on the ring.</summary>
    [Params(1000)]
    public int Instances { get; set; }

    /// <summary>Creates the instances (not measured).</summary>
    [GlobalSetup]
    public void Setup() => _endpoints = EndpointSets.Create(Instances);

    /// <summary>What an instance change costs a consistent-hash client, off the call path.</summary>
    [Benchmark]
    public IEndpointPicker Rebuild() => _policy.CreatePicker(_endpoints);
}
