using System.Collections.Immutable;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Fitten.Etcd.Tests;

/// <summary>The etcd registry against a real etcd on loopback.</summary>
public sealed partial class EtcdRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private EtcdServer _etcd = null!;

    public EtcdRegistryTests() => _loggerFactory = _logs.CreateFactory();

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _etcd.DisposeAsync();
        _loggerFactory.Dispose();
    }

    [Fact]
    public async Task RegisterAsync_ThenDeregister_WatcherSeesBothWithAllFields()
    {
        await using var server = Registry();
        await using var client = Registry();
        var instance = new ServiceInstance("shop.orders", "127.0.0.1", 5001)
        {
            Weight = 250,
            Zone = "eu-1",
            Version = "1.2.3",
            Tags = ImmutableSortedDictionary<string, string>.Empty.Add("lane", "canary"),
        };
        using var cts = new CancellationTokenSource(Patience);
        await using var watch = client.WatchAsync("shop.orders", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Empty(watch.Current.Instances);

        await server.RegisterAsync(instance);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(instance, Assert.Single(watch.Current.Instances));
        Assert.Equal(instance, Assert.Single((await client.ResolveAsync("shop.orders")).Instances));

        await server.DeregisterAsync(instance);
        Assert.True(await watch.MoveNextAsync());
        Assert.Empty(watch.Current.Instances);

        var registered = Assert.Single(_logs.Events(100));
        Assert.Equal((LogLevel.Information, EtcdRegistry.LogCategory), (registered.Level, registered.Category));
        Assert.Contains("127.0.0.1:5001", registered.Message, StringComparison.Ordinal);
        Assert.Contains("etcd registry", registered.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5001", Assert.Single(_logs.Events(101)).Message, StringComparison.Ordinal);
        Assert.Contains(_etcd.Endpoint, Assert.Single(_logs.Events(121)).Message, StringComparison.Ordinal);

        // Stopping cancels the watch and the keep-alive; gRPC reports that as an error, which is no outage to warn of.
        await cts.CancelAsync();
        await client.DisposeAsync();
        await server.DisposeAsync();
        Assert.DoesNotContain(_logs.Records, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task DisposeAsync_GracefulStop_RevokesLeaseAndInstancesDisappear()
    {
        await using var client = Registry();
        var server = Registry();
        await server.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        await server.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
        Assert.Equal(2, (await client.ResolveAsync("s")).Instances.Length);

        await server.DisposeAsync();

        Assert.Empty((await client.ResolveAsync("s")).Instances);
    }

    [Fact]
    public async Task Abandon_ProcessDiesWithoutDeregistering_InstanceDisappearsWhenLeaseExpires()
    {
        await using var client = Registry();
        var server = Registry(ttl: TimeSpan.FromSeconds(2));
        await server.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        Assert.Single((await client.ResolveAsync("s")).Instances);

        await server.AbandonAsync();

        // Lease TTL 2 s; etcd expires leases on its own clock, so allow several TTLs before calling it a failure.
        await WaitUntilAsync(async () => (await client.ResolveAsync("s")).Instances.IsEmpty);
    }

    [Fact]
    public async Task EtcdKilledAndRestarted_DuringTraffic_CallsKeepFlowingAndLaterChangesArrive()
    {
        var servers = await InstanceServer.StartManyAsync(3);
        try
        {
            await using var registrar = Registry();
            await using var resolver = Registry();
            await registrar.RegisterAsync(servers[0].Instance());
            await registrar.RegisterAsync(servers[1].Instance());
            await using var channel = new ServiceChannel(InstanceServer.Service, resolver);
            await WaitUntilAsync(() => Task.FromResult(channel.Endpoints.Length == 2));

            using var stop = new CancellationTokenSource();
            int calls = 0;
            var traffic = Task.Run(async () =>
            {
                for (int i = 0; i < 1_000_000 && !stop.IsCancellationRequested; i++)
                {
                    await channel.InvokeAsync(InstanceServer.Whoami, "", CallOptions.WithTimeout(TimeSpan.FromSeconds(10)));
                    Interlocked.Increment(ref calls);
                    await Task.Delay(2);
                }
            });

            _etcd.Kill();
            await WaitForCallsAsync(() => calls, 50);
            await _etcd.RestartAsync();
            await registrar.RegisterAsync(servers[2].Instance());
            await WaitUntilAsync(() => Task.FromResult(channel.Endpoints.Length == 3));
            await WaitUntilAsync(() => Task.FromResult(servers[2].Calls > 0));

            await stop.CancelAsync();
            await traffic.WaitAsync(Patience);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SeveralEndpoints_EtcdKilledAndRestarted_WatchFollowsAgain()
    {
        await using var registrar = Registry();
        await using var resolver = Registry(endpoint: $"http://127.0.0.1:1,{_etcd.Endpoint}");
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = await WatchFirstInstanceAsync(registrar, resolver, cts.Token);

        _etcd.Kill();
        await _logs.WaitForAsync(Unreachable);
        await _etcd.RestartAsync();
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));

        await WaitForCountAsync(watch, 2);
    }

    [Fact]
    public async Task EtcdDown_ClientStarted_WarnsNamingTheEndpointWaitsThenFindsInstancesWhenEtcdReturns()
    {
        await using var registrar = Registry();
        _etcd.Kill();
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        await using var resolver = Registry();
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = resolver.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);
        var first = watch.MoveNextAsync().AsTask();

        // Each registry warns once, naming etcd's address; what the registrar could not write waits for it.
        var pending = Assert.Single(_logs.Events(120));
        Assert.Equal(LogLevel.Information, pending.Level);
        Assert.Contains($"Registration of 127.0.0.1:5001 (s) is pending: etcd at {_etcd.Endpoint} is unreachable", pending.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => Task.FromResult(_logs.Events(Unreachable).Length == 2));
        var down = _logs.Events(Unreachable).Select(r => r.Message).Order(StringComparer.Ordinal).ToArray();
        Assert.All(down, m => Assert.StartsWith($"etcd at {_etcd.Endpoint} is unreachable", m, StringComparison.Ordinal));
        Assert.Contains("for 0 registered instances and 1 watched services", down[0], StringComparison.Ordinal);
        Assert.Contains("for 1 registered instances and 0 watched services", down[1], StringComparison.Ordinal);

        await _etcd.RestartAsync();

        Assert.True(await first);
        if (watch.Current.Instances.IsEmpty)
        {
            Assert.True(await watch.MoveNextAsync());
        }

        Assert.Equal(5001, Assert.Single(watch.Current.Instances).Port);
        Assert.Contains("1 registered instances written", (await _logs.WaitForAsync(132)).Message, StringComparison.Ordinal);
        await _logs.WaitForAsync(127, r => r.Message.Contains("Watch of s resumed", StringComparison.Ordinal));
        await WaitUntilAsync(() => Task.FromResult(_logs.Events(Reachable).Length == 2));
        Assert.Equal(2, _logs.Records.Count(r => r.Level >= LogLevel.Warning));
    }

    [Fact]
    public async Task EtcdRestartedWithoutData_RegistrationsAreWrittenAgainAndWatchersReadAgain()
    {
        await using var registrar = Registry();
        await using var resolver = Registry();
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = await WatchFirstInstanceAsync(registrar, resolver, cts.Token);

        // Push the watcher's revision well past where a fresh etcd will be once the registrar wrote its two
        // instances again. Only changes under the watched prefix move a watch's revision, so churn that service,
        // and wait until the watcher has seen a last marker come and go: then it has applied all of it.
        for (int i = 0; i < 20; i++)
        {
            await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 6000 + i));
            await registrar.DeregisterAsync(new ServiceInstance("s", "127.0.0.1", 6000 + i));
        }

        var marker = new ServiceInstance("s", "127.0.0.1", 6099);
        await registrar.RegisterAsync(marker);
        while (!watch.Current.Instances.Contains(marker))
        {
            Assert.True(await watch.MoveNextAsync());
        }

        await registrar.DeregisterAsync(marker);
        await WaitForCountAsync(watch, 1);

        await _etcd.RestartAsync(wipeData: true);
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));

        // The registrar's lease is gone with the data: it grants a new one and writes both instances again; the
        // watcher sees a fresh etcd behind its revision and reads everything again.
        await WaitForCountAsync(watch, 2);

        Assert.Equal([5001, 5002], watch.Current.Instances.Select(i => i.Port));
        Assert.Equal(LogLevel.Warning, (await _logs.WaitForAsync(122)).Level);
        Assert.Contains("registered instances again", (await _logs.WaitForAsync(123)).Message, StringComparison.Ordinal);
        var reread = await _logs.WaitForAsync(129);
        Assert.Equal(LogLevel.Warning, reread.Level);
        Assert.Contains("Watch of s reads all instances again", reread.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Endpoint = "127.0.0.1:2379" }.Validate());
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Prefix = "/no-slash" }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EtcdRegistryOptions { LeaseTtl = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Endpoint = " , " }.Validate());
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Endpoint = "http://a:2379,https://b:2379" }.Validate());
        new EtcdRegistryOptions { Endpoint = "http://a:2379, http://b:2379" }.Validate();
        new EtcdRegistryOptions().Validate();
    }

    private EtcdRegistry Registry(TimeSpan? ttl = null, string? endpoint = null) => new(
        new EtcdRegistryOptions
        {
            Endpoint = endpoint ?? _etcd.Endpoint,
            LeaseTtl = ttl ?? TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(2),
        },
        _loggerFactory);

    /// <summary>Registers 127.0.0.1:5001 as "s" and returns a watch of "s" that has seen it (bounded by <paramref name="token"/>).</summary>
    private static async Task<IAsyncEnumerator<ServiceInstanceSet>> WatchFirstInstanceAsync(EtcdRegistry registrar, EtcdRegistry resolver, CancellationToken token)
    {
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        var watch = resolver.WatchAsync("s", token).GetAsyncEnumerator(token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current.Instances);
        return watch;
    }

    /// <summary>Follows <paramref name="watch"/> until it shows <paramref name="count"/> instances (its token bounds the wait).</summary>
    private static async Task WaitForCountAsync(IAsyncEnumerator<ServiceInstanceSet> watch, int count)
    {
        while (watch.Current.Instances.Length != count)
        {
            Assert.True(await watch.MoveNextAsync());
        }
    }

    /// <summary>Polls every 50 ms for up to 20 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 400; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.True(await condition(), "condition not met within 20 s");
    }

    private static Task WaitForCallsAsync(Func<int> calls, int more)
    {
        int target = calls() + more;
        return WaitUntilAsync(() => Task.FromResult(calls() >= target));
    }
}
