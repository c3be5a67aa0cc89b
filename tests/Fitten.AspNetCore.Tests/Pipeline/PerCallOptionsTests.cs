using System.Net;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>Per-call options on generated clients, and the contract's declared timeout on every client path.</summary>
public sealed class PerCallOptionsTests : IAsyncLifetime
{
    private HopServers _servers = null!;
    private FittenChannel _channel = null!;
    private IHop _hop = null!;

    public async Task InitializeAsync()
    {
        _servers = await HopServers.StartAsync();
        _channel = FittenChannel.ForAddress(_servers.Back.Urls.First());
        _hop = (IHop)FittenContracts.Get<IHop>().CreateClient(_channel);
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task WithCallOptions_HeadersAndTags_ReachTheServer()
    {
        var tagged = _hop.WithCallOptions(new CallOptions { Headers = new Metadata().Add("lane", "canary", MetadataEntryKind.Tag).Add("x-trace-me", "yes") });

        var report = await tagged.InspectAsync();
        var plain = await _hop.InspectAsync();

        Assert.Equal("canary", report.Tags["lane"]);
        Assert.Equal("yes", report.Headers["x-trace-me"]);
        Assert.Empty(plain.Tags);
    }

    [Fact]
    public async Task WithCallOptions_Timeout_EndsTheCall()
    {
        var hurried = _hop.WithCallOptions(CallOptions.WithTimeout(TimeSpan.FromMilliseconds(100)));

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await hurried.SleepAsync(30_000));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task WithCallOptions_MethodTokenStillCancels()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var tagged = _hop.WithCallOptions(new CallOptions { Timeout = TimeSpan.FromSeconds(30) });

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await tagged.SleepAsync(30_000, cancel.Token));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public void WithCallOptions_NotAGeneratedClient_SaysSo()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Hop().WithCallOptions<IHop>(default));

        Assert.Contains("not a client Fitten generated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredMethodTimeout_OverAddress_EndsTheCall()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _hop.NapAsync(30_000));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task DeclaredMethodTimeout_ThroughDiscovery_EndsTheCall()
    {
        // The service channel path (AddClient<T>() through a registry) used to ignore the method's timeout.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddClient<IHop>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var back = new Uri(_servers.Back.Urls.First());
        await app.Services.GetRequiredService<InProcessRegistry>().RegisterAsync(new ServiceInstance(IHopFitten.ServiceName, "127.0.0.1", back.Port));
        var hop = app.Services.GetRequiredService<IHop>();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await hop.NapAsync(30_000));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }
}
