using Fitten.Discovery;

namespace Fitten.Tests.Discovery;

public class InProcessRegistryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ResolveAsync_AfterRegisterAndDeregister_ReflectsBoth()
    {
        var registry = new InProcessRegistry();
        var a = new ServiceInstance("s", "127.0.0.1", 1001);
        await registry.RegisterAsync(a);
        await registry.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 1002));
        await registry.RegisterAsync(a with { Weight = 7 });

        var set = await registry.ResolveAsync("s");
        Assert.Equal(2, set.Instances.Length);
        Assert.Equal(7, set.Instances[0].Weight);

        await registry.DeregisterAsync(a);
        set = await registry.ResolveAsync("s");
        Assert.Equal(1002, Assert.Single(set.Instances).Port);
        Assert.Empty((await registry.ResolveAsync("unknown")).Instances);
    }

    [Fact]
    public async Task WatchAsync_Changes_YieldsCurrentThenEachChange()
    {
        var registry = new InProcessRegistry();
        await registry.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 1001));
        using var cts = new CancellationTokenSource(Patience);
        await using var watch = registry.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current.Instances);
        long revision = watch.Current.Revision;

        await registry.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 1002));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(2, watch.Current.Instances.Length);
        Assert.True(watch.Current.Revision > revision);
    }

    [Fact]
    public async Task WatchAsync_UnchangedRegistration_PublishesNothing()
    {
        var registry = new InProcessRegistry();
        var instance = new ServiceInstance("s", "127.0.0.1", 1001);
        await registry.RegisterAsync(instance);
        using var cts = new CancellationTokenSource(Patience);
        await using var watch = registry.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());

        await registry.RegisterAsync(instance);
        await registry.DeregisterAsync(new ServiceInstance("s", "127.0.0.1", 9999));
        await registry.RegisterAsync(instance with { Weight = 1 });

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(1, Assert.Single(watch.Current.Instances).Weight);
    }

    [Fact]
    public async Task WatchAsync_Cancelled_EndsWithoutThrowing()
    {
        var registry = new InProcessRegistry();
        using var cts = new CancellationTokenSource();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int seen = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var set in registry.WatchAsync("s", cts.Token))
            {
                seen++;
                first.TrySetResult();
            }
        });

        await first.Task.WaitAsync(Patience);
        await cts.CancelAsync();
        await reading.WaitAsync(Patience);
        Assert.Equal(1, seen);
    }
}
