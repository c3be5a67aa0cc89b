using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.LoadBalancing;
using Fitten.Resilience;

namespace Fitten.AspNetCore.Tests.Resilience;

/// <summary>
/// The per-instance circuit breaker over three real instances: one instance starts failing, its breaker opens, and
/// from then on the balancer sends its calls elsewhere; the caller sees no error (the failures before it opened are
/// retried: the method is idempotent). When every instance's breaker is open, calls fail at once, not sent.
/// </summary>
public sealed class InstanceCircuitBreakerTests : InstancesTest
{
    private readonly CapturingLoggerProvider _logs = new();

    protected override bool RegisterAll => true;

    private ServiceChannel Create(bool instanceBreakers)
    {
        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin };
        options.OutlierDetection.Enabled = false; // the breaker alone moves calls here
        options.InstanceCircuitBreaker.Enabled = instanceBreakers;
        options.InstanceCircuitBreaker.MinimumThroughput = 4;
        options.InstanceCircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        options.Channel.Policy.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
        return new ServiceChannel(InstanceServer.Service, Registry, options, _logs.CreateFactory());
    }

    [Fact]
    public async Task FailingInstance_BreakerOpens_CallsGoElsewhere_NoCallerVisibleError()
    {
        Servers[0].FailWith = StatusCode.Unavailable;
        await using var channel = Create(instanceBreakers: true);

        for (int i = 0; i < 60; i++)
        {
            await channel.InvokeAsync(InstanceServer.Read, "", Call); // never throws
        }

        // Round robin sends every third attempt to the failing instance until its window holds 4 calls, all failed.
        Assert.Equal(4, Servers[0].Calls);
        Assert.Single(_logs.Events(146));
        Assert.Equal(CircuitState.Open, channel.Endpoints.Single(e => e.Instance.Port == Servers[0].Port).CircuitState);
        Assert.All(channel.Endpoints.Where(e => e.Instance.Port != Servers[0].Port), e => Assert.Equal(CircuitState.Closed, e.CircuitState));
    }

    [Fact]
    public async Task WithoutInstanceBreakers_TheFailingInstanceKeepsGettingCalls()
    {
        Servers[0].FailWith = StatusCode.Unavailable;
        await using var channel = Create(instanceBreakers: false);

        for (int i = 0; i < 60; i++)
        {
            await channel.InvokeAsync(InstanceServer.Read, "", Call);
        }

        Assert.True(Servers[0].Calls >= 15, $"{Servers[0].Calls} calls");
        Assert.Null(channel.Endpoints[0].CircuitState);
    }

    [Fact]
    public async Task EveryInstanceOpen_CallsFailAtOnceUnsent()
    {
        SetAll(s => s.FailWith = StatusCode.Internal);
        await using var channel = Create(instanceBreakers: true);
        for (int i = 0; i < 12; i++)
        {
            await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
        }

        int served = ServedCalls;
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));

        Assert.Equal(12, served);
        Assert.Equal(served, ServedCalls);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.NotProcessed);
        Assert.Equal(3, _logs.Events(146).Length);
    }
}
