using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Discovery;

/// <summary>What a <see cref="ServiceChannel"/> logs, over three real Kestrel instances on 127.0.0.1.</summary>
public sealed class ServiceChannelLogTests : IAsyncLifetime
{
    /// <summary>
    /// Not <see cref="InstanceServer.Service"/>: these tests eject instances, and the kill test in
    /// <see cref="ServiceChannelTests"/>, running alongside, counts the ejections recorded for that name.
    /// </summary>
    private const string Service = "test.lb.logs";
    private static readonly CallOptions Call = CallOptions.WithTimeout(TimeSpan.FromSeconds(10));
    private readonly InProcessRegistry _registry = new();
    private readonly CapturingLoggerProvider _logs = new();
    private ILoggerFactory _loggerFactory = null!;
    private InstanceServer[] _servers = [];

    public async Task InitializeAsync()
    {
        _loggerFactory = _logs.CreateFactory();
        _servers = await InstanceServer.StartManyAsync(3);
        foreach (var server in _servers)
        {
            await _registry.RegisterAsync(Instance(server));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task Apply_InstancesChange_LogsCountAtDebug()
    {
        await using var channel = Create();

        var first = await _logs.WaitForAsync(140);
        await _registry.DeregisterAsync(Instance(_servers[0]));
        var second = await _logs.WaitForAsync(140, r => r.Message.Contains("1 removed", StringComparison.Ordinal));

        Assert.Equal(LogLevel.Debug, first.Level);
        Assert.Equal(ServiceChannel.LogCategory, first.Category);
        Assert.Contains("3 instances", first.Message, StringComparison.Ordinal);
        Assert.Contains("3 added", first.Message, StringComparison.Ordinal);
        Assert.Contains("2 instances", second.Message, StringComparison.Ordinal);

        await channel.DisposeAsync();
        Assert.DoesNotContain(_logs.Records, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task InvokeAsync_InstanceKilled_WarnsOfEjectionNamingTheInstance()
    {
        await using var channel = Create();
        await CallManyAsync(channel, 6);

        await _servers[1].KillAsync();

        // A call sent while the dying instance still held its connection can fail with it ("closed before the call
        // was answered": sent, so not failed over); seen about once in 20 runs here. The log is what this test is about.
        for (int i = 0; i < 20 && _logs.Events(141).Length == 0; i++)
        {
            try
            {
                await channel.InvokeAsync(InstanceServer.Whoami, "", Call);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
            }
        }

        var ejected = Assert.Single(_logs.Events(141));
        Assert.Equal(LogLevel.Warning, ejected.Level);
        Assert.Contains($"127.0.0.1:{_servers[1].Port}", ejected.Message, StringComparison.Ordinal);
        Assert.Contains(Service, ejected.Message, StringComparison.Ordinal);
        Assert.Contains("refused the connection", ejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_InstanceFailsThenHeals_LogsEjectionThenReturn()
    {
        await using var channel = Create(o =>
        {
            o.OutlierDetection.ConsecutiveFailures = 2;
            o.OutlierDetection.BaseEjectionTime = TimeSpan.FromMilliseconds(200);
        });
        _servers[2].Failing = true;

        // Round robin: every third call lands on the failing instance; two in a row there eject it.
        for (int i = 0; i < 30 && _logs.Events(141).Length == 0; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await CallManyAsync(channel, 3));
        }

        var ejected = Assert.Single(_logs.Events(141));
        Assert.Contains($"127.0.0.1:{_servers[2].Port}", ejected.Message, StringComparison.Ordinal);
        Assert.Contains("2 server failures in a row, the last INTERNAL", ejected.Message, StringComparison.Ordinal);

        _servers[2].Failing = false;
        await Task.Delay(300);
        await CallManyAsync(channel, 6);

        var returned = await _logs.WaitForAsync(142);
        Assert.Equal(LogLevel.Information, returned.Level);
        Assert.Contains($"127.0.0.1:{_servers[2].Port}", returned.Message, StringComparison.Ordinal);
        Assert.Single(_logs.Events(142));
    }

    [Fact]
    public async Task Watch_RegistryFails_WarnsOnceKeepingLastInstancesThenSaysItIsBack()
    {
        var watcher = new FlakyWatcher([.. _servers.Select(Instance)], failures: 3);
        await using var channel = new ServiceChannel(Service, watcher, Options(), _loggerFactory);

        var back = await _logs.WaitForAsync(145);

        var unreachable = Assert.Single(_logs.Events(143));
        Assert.Equal(LogLevel.Warning, unreachable.Level);
        Assert.Contains("registry down", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("3 last known instances", unreachable.Message, StringComparison.Ordinal);
        Assert.Equal(2, _logs.Events(144).Length);
        Assert.All(_logs.Events(144), r => Assert.Equal(LogLevel.Debug, r.Level));
        Assert.Contains("after 3 failed attempts", back.Message, StringComparison.Ordinal);
        Assert.Equal(3, channel.Endpoints.Length);
    }

    private ServiceChannel Create(Action<ServiceChannelOptions>? configure = null)
        => new(Service, _registry, Options(configure), _loggerFactory);

    private static ServiceInstance Instance(InstanceServer server) => server.Instance() with { Service = Service };

    private static ServiceChannelOptions Options(Action<ServiceChannelOptions>? configure = null)
    {
        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin };
        configure?.Invoke(options);
        return options;
    }

    private static async Task CallManyAsync(ServiceChannel channel, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            await channel.InvokeAsync(InstanceServer.Whoami, "", Call);
        }
    }

    /// <summary>
    /// Yields the instances, then fails <paramref name="failures"/> watches in a row (the first after a snapshot,
    /// the next at once, as a registry that went away would), then watches normally.
    /// </summary>
    private sealed class FlakyWatcher(ImmutableArray<ServiceInstance> instances, int failures) : IServiceWatcher
    {
        private int _watches;

        public async IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            int watch = Interlocked.Increment(ref _watches);
            if (watch == 1 || watch > failures)
            {
                yield return new ServiceInstanceSet(service, instances, watch);
            }

            if (watch <= failures)
            {
                throw new InvalidOperationException("registry down");
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
