using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;

namespace Fitten.AspNetCore.Tests.Discovery;

/// <summary>
/// An instance that stops answering without closing (a frozen process behind a <see cref="TcpProxy"/>): calls
/// that time out there count against it, outlier detection ejects it, and calls go to the others.
/// </summary>
public sealed class FrozenInstanceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FrozenInstance_CallsTimingOutThere_EjectIt_AndCallsGoElsewhere()
    {
        await using var healthy = await InstanceServer.StartAsync();
        await using var frozen = await InstanceServer.StartAsync();
        await using var proxy = new TcpProxy(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, frozen.Port));
        var registry = new InProcessRegistry();
        await registry.RegisterAsync(healthy.Instance());
        await registry.RegisterAsync(new ServiceInstance(InstanceServer.Service, "127.0.0.1", proxy.Port));
        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancing.LoadBalancingPolicies.RoundRobin };
        options.OutlierDetection.ConsecutiveFailures = 3;

        // Keepalive off: only the timeouts themselves can tell the balancer that this instance is gone.
        options.Channel.KeepAliveInterval = Timeout.InfiniteTimeSpan;
        await using var channel = new ServiceChannel(InstanceServer.Service, registry, options);
        proxy.Freeze();

        int inARow = 0;
        var until = DateTime.UtcNow + Bound;
        while (inARow < 30)
        {
            Assert.True(DateTime.UtcNow < until, "calls kept going to the frozen instance");
            try
            {
                await channel.InvokeAsync(InstanceServer.Whoami, "", CallOptions.WithTimeout(TimeSpan.FromMilliseconds(300)));
                inARow++;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
            {
                inARow = 0;
            }
        }
    }
}
