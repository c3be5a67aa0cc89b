using System.Collections.Immutable;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.LoadBalancing;

namespace Fitten.Tests.Client;

public class ServiceChannelOptionsTests
{
    [Fact]
    public void Validate_Defaults_PassWithPowerOfTwoChoices()
    {
        var options = new ServiceChannelOptions();
        options.Validate();

        Assert.Equal(LoadBalancingPolicies.PowerOfTwoChoices, options.LoadBalancingPolicy);
    }

    [Fact]
    public void Validate_UnknownPolicy_ThrowsNamingBuiltIns()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceChannelOptions { LoadBalancingPolicy = "Fastest" }.Validate());

        Assert.Contains(LoadBalancingPolicies.ConsistentHash, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceChannelOptions { Channel = { Policy = { Retry = { MaxAttempts = 11 } } } }.Validate());
        Assert.Throws<ArgumentException>(() => new ServiceChannelOptions { HashKeyHeader = string.Empty }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceChannelOptions { ResolveTimeout = TimeSpan.Zero }.Validate());
        var options = new ServiceChannelOptions();
        options.OutlierDetection.MaxEjectionPercent = -1;
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_CustomPolicy_FoundByNameBeforeBuiltIns()
    {
        var options = new ServiceChannelOptions { LoadBalancingPolicy = "First" };
        options.Policies.Add(new FirstPolicy());

        options.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceChannel("s", new InProcessRegistry(), new ServiceChannelOptions { Channel = { Policy = { Retry = { MaxAttempts = 0 } } } }));
    }

    [Fact]
    public async Task InvokeAsync_NoInstances_UnavailableNotProcessed()
    {
        await using var channel = new ServiceChannel("nobody", new InProcessRegistry());

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(
            new Method<byte[], byte[]>("nobody", "M", BytesMarshaller.Instance, BytesMarshaller.Instance), [], CallOptions.WithTimeout(TimeSpan.FromSeconds(10))).AsTask());

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.NotProcessed);
    }

    [Theory]
    [InlineData(50, StatusCode.DeadlineExceeded)]
    [InlineData(5_000, StatusCode.Unavailable)]
    public async Task InvokeAsync_RegistryNeverAnswers_FailsNotProcessedWithinTheShorterLimit(int callTimeoutMs, StatusCode expected)
    {
        var options = new ServiceChannelOptions { ResolveTimeout = TimeSpan.FromMilliseconds(100) };
        await using var channel = new ServiceChannel("s", new SilentWatcher(), options);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(
            new Method<byte[], byte[]>("s", "M", BytesMarshaller.Instance, BytesMarshaller.Instance), [], CallOptions.WithTimeout(TimeSpan.FromMilliseconds(callTimeoutMs))).AsTask());

        Assert.Equal(expected, ex.StatusCode);
        Assert.True(ex.NotProcessed);
    }

    /// <summary>A registry that never answers (unreachable), but stops when asked.</summary>
    private sealed class SilentWatcher : IServiceWatcher
    {
        public async IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            yield break;
        }
    }

    private sealed class FirstPolicy : ILoadBalancingPolicy, IEndpointPicker
    {
        private ImmutableArray<BalancerEndpoint> _endpoints;

        public string Name => "First";

        public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints)
        {
            _endpoints = endpoints;
            return this;
        }

        public BalancerEndpoint Pick(in PickContext context) => _endpoints[0];
    }
}
