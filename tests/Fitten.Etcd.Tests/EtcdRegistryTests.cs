using System.Collections.Immutable;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd.Tests.Infrastructure;

namespace Fitten.Etcd.Tests;

/// <summary>The etcd registry against a real etcd on loopback.</summary>
public sealed class EtcdRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private EtcdServer _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

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
    public async Task EtcdDown_ClientStarted_WaitsThenFindsInstancesWhenEtcdReturns()
    {
        await using var registrar = Registry();
        _etcd.Kill();
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        await using var resolver = Registry();
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = resolver.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);
        var first = watch.MoveNextAsync().AsTask();

        await _etcd.RestartAsync();

        Assert.True(await first);
        if (watch.Current.Instances.IsEmpty)
        {
            Assert.True(await watch.MoveNextAsync());
        }

        Assert.Equal(5001, Assert.Single(watch.Current.Instances).Port);
    }

    [Fact]
    public async Task EtcdRestartedWithoutData_RegistrationsAreWrittenAgainAndWatchersReadAgain()
    {
        await using var registrar = Registry();
        await using var resolver = Registry();
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = resolver.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current.Instances);

        // Push the watcher's revision well past where a fresh etcd will start.
        for (int i = 0; i < 20; i++)
        {
            await registrar.RegisterAsync(new ServiceInstance("other", "127.0.0.1", 6000 + i));
        }

        await _etcd.RestartAsync(wipeData: true);
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));

        // The registrar's lease is gone with the data: it grants a new one and writes both instances again; the
        // watcher sees a fresh etcd behind its revision and reads everything again.
        while (watch.Current.Instances.Length != 2)
        {
            Assert.True(await watch.MoveNextAsync());
        }

        Assert.Equal([5001, 5002], watch.Current.Instances.Select(i => i.Port));
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Endpoint = "127.0.0.1:2379" }.Validate());
        Assert.Throws<ArgumentException>(() => new EtcdRegistryOptions { Prefix = "/no-slash" }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EtcdRegistryOptions { LeaseTtl = TimeSpan.FromSeconds(1) }.Validate());
        new EtcdRegistryOptions().Validate();
    }

    private EtcdRegistry Registry(TimeSpan? ttl = null) => new(new EtcdRegistryOptions
    {
        Endpoint = _etcd.Endpoint,
        LeaseTtl = ttl ?? TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(2),
    });

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
