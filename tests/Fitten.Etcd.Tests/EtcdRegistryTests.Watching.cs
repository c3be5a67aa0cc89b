using Etcdserverpb;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Fitten.Etcd.Tests;

/// <summary>
/// What a watch applies: every event etcd sends, in order, however etcd groups them. A lease that ends deletes
/// all of its keys in one revision, and a transaction writes several keys in one, so one revision can hold many events.
/// </summary>
public sealed partial class EtcdRegistryTests
{
    [Theory]
    [InlineData("revoked")] // a graceful stop
    [InlineData("expired")] // a process that dies: etcd expires its lease (TTL 2 s, on etcd's clock)
    public async Task LeaseEnds_ProcessRegisteredOnTwoPorts_WatchingChannelKeepsNoGhost(string leaseEnd)
    {
        await using var resolver = Registry();
        var registrar = Registry(ttl: TimeSpan.FromSeconds(2));
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
        await using var channel = new ServiceChannel("s", resolver);
        await WaitUntilAsync(() => Task.FromResult(channel.Endpoints.Length == 2));

        // Either way etcd deletes both keys in one revision: two delete events in one watch response. WaitUntilAsync
        // allows 20 s, several TTLs.
        await (leaseEnd == "revoked" ? registrar.DisposeAsync() : registrar.AbandonAsync());

        await WaitUntilAsync(() => Task.FromResult(channel.Endpoints.IsEmpty));
        Assert.Empty((await resolver.ResolveAsync("s")).Instances);
    }

    [Fact]
    public async Task OneTransaction_PutsAndDeletesInOneRevision_WatchAppliesEveryEvent()
    {
        await using var registrar = Registry();
        await using var resolver = Registry();
        using var cts = new CancellationTokenSource(Patience);
        await using var watch = await WatchFirstInstanceAsync(registrar, resolver, cts.Token);
        await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
        await WaitForCountAsync(watch, 2);

        // etcd refuses one key twice in a transaction, so each event here is about a different instance.
        using var etcd = GrpcChannel.ForAddress(_etcd.Endpoint);
        await new KV.KVClient(etcd).TxnAsync(new TxnRequest
        {
            Success =
            {
                PutOp(new ServiceInstance("s", "127.0.0.1", 5003)),
                DeleteOp("127.0.0.1:5001"),
                PutOp(new ServiceInstance("s", "127.0.0.1", 5002) { Weight = 7 }),
                PutOp(new ServiceInstance("s", "127.0.0.1", 5004)),
            },
        }, deadline: DateTime.UtcNow + Patience);

        await WaitForPortsAsync(watch, "5002/7 5003/100 5004/100");
        Assert.Equal("5002/7 5003/100 5004/100", Ports(await resolver.ResolveAsync("s")));
    }

    [Fact]
    public async Task WatchCutOff_BacklogOfPutsDeletesAndARevocation_AllAppliedInOrderOnResume()
    {
        // While the watcher is cut off, etcd collects a backlog it sends when the watch resumes from its revision: a
        // key put then deleted (order matters), a process on two ports that stops (one revision, two deletes), and
        // a key that stays.
        await WatchThroughCutAsync(
            async registrar =>
            {
                await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
                await registrar.DeregisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
                var process = Registry();
                await process.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5003));
                await process.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5004));
                await process.DisposeAsync();
                await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5005));
            },
            "5001/100 5005/100");
    }

    [Fact]
    public async Task WatchCutOffWhileEtcdCompacts_ResumesByReadingAgainAndLogsWhy()
    {
        // Meanwhile the instance set changes (one added, one gone) and etcd compacts away the history the watcher
        // missed, so only a full read can tell it what changed.
        string proxy = await WatchThroughCutAsync(
            async registrar =>
            {
                await registrar.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5002));
                await registrar.DeregisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
                await _etcd.CompactAsync();
            },
            "5002/100");

        Assert.Contains(proxy, Assert.Single(_logs.Events(Unreachable)).Message, StringComparison.Ordinal);
        Assert.Contains("was compacted away", (await _logs.WaitForAsync(128)).Message, StringComparison.Ordinal);
        await _logs.WaitForAsync(127, r => r.Message.Contains(proxy, StringComparison.Ordinal));
    }

    /// <summary>
    /// Watches "s" (127.0.0.1:5001 registered) through a loopback proxy, cuts the watcher off etcd, runs
    /// <paramref name="whileCut"/> with the registrar (which still reaches etcd), restores the proxy and follows the
    /// watch until it shows <paramref name="ports"/>. Returns the proxy's endpoint, which the watcher's logs name.
    /// </summary>
    private async Task<string> WatchThroughCutAsync(Func<EtcdRegistry, Task> whileCut, string ports)
    {
        await using var proxy = new TcpProxy(_etcd.Endpoint);
        await using var registrar = Registry();
        await using var resolver = Registry(endpoint: proxy.Endpoint);
        using var cts = new CancellationTokenSource(Patience * 2);
        await using var watch = await WatchFirstInstanceAsync(registrar, resolver, cts.Token);

        proxy.Cut();
        await _logs.WaitForAsync(Unreachable);
        await whileCut(registrar);
        proxy.Restore();

        await WaitForPortsAsync(watch, ports);
        return proxy.Endpoint;
    }

    /// <summary>Follows <paramref name="watch"/> until its set is <paramref name="ports"/> (its token bounds the wait).</summary>
    private static async Task WaitForPortsAsync(IAsyncEnumerator<ServiceInstanceSet> watch, string ports)
    {
        string seen;
        while ((seen = Ports(watch.Current)) != ports)
        {
            Assert.True(await watch.MoveNextAsync(), $"The watch stopped at \"{seen}\", not \"{ports}\".");
        }
    }

    /// <summary>The set as "port/weight" in address order, so one string compares what a test expects.</summary>
    private static string Ports(ServiceInstanceSet set) => string.Join(' ', set.Instances.Select(i => $"{i.Port}/{i.Weight}"));

    private static RequestOp PutOp(ServiceInstance instance) => new()
    {
        RequestPut = new PutRequest
        {
            Key = ByteString.CopyFromUtf8($"/fitten/services/{instance.Service}/{instance.Address}"),
            Value = ByteString.CopyFrom(InstanceRecord.Serialize(instance)),
        },
    };

    private static RequestOp DeleteOp(string address) => new()
    {
        RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8("/fitten/services/s/" + address) },
    };
}
