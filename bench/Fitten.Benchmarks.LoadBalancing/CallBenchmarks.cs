using System.Net;
using BenchmarkDotNet.Attributes;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.LoadBalancing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.Benchmarks.LoadBalancing;

/// <summary>
/// One serial unary call (empty payload) to an in-process Kestrel server on loopback, through a bare
/// <see cref="FittenChannel"/> and through a <see cref="ServiceChannel"/> over three such servers. Allocations
/// include the servers' (one process), so the difference between the rows is what balancing adds per call.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private static readonly Method<byte[], byte[]> Echo = new("bench.lb", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);
    private readonly List<WebApplication> _servers = [];
    private FittenChannel _direct = null!;
    private ServiceChannel _balanced = null!;

    /// <summary>Starts three servers and both clients, and warms them (not measured).</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>A call on one endpoint's channel: the baseline.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<byte[]> Direct() => _direct.InvokeAsync(Echo, []);

    /// <summary>The same call through a ServiceChannel (power of two choices over three instances).</summary>
    [Benchmark]
    public ValueTask<byte[]> Balanced() => _balanced.InvokeAsync(Echo, []);

    /// <summary>Stops clients and servers.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var registry = new InProcessRegistry();
        for (int i = 0; i < 3; i++)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddFitten().AddUnaryMethod(Echo, static (request, _) => ValueTask.FromResult(request));
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
            var app = builder.Build();
            await app.StartAsync();
            _servers.Add(app);
            await registry.RegisterAsync(new ServiceInstance("bench.lb", "127.0.0.1", new Uri(app.Urls.First()).Port));
        }

        _direct = FittenChannel.ForAddress(_servers[0].Urls.First());
        _balanced = new ServiceChannel("bench.lb", registry, new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices });
        for (int i = 0; i < 1000; i++)
        {
            await _direct.InvokeAsync(Echo, []);
            await _balanced.InvokeAsync(Echo, []);
        }
    }

    private async Task CleanupAsync()
    {
        await _direct.DisposeAsync();
        await _balanced.DisposeAsync();
        foreach (var app in _servers)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
