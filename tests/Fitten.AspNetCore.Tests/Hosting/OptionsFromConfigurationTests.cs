using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Server;
using Fitten.AspNetCore.Tests.Contracts;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Tests.Hosting;

/// <summary>
/// Server and client options bound from configuration (Fitten:Server, Fitten:Clients:{service}), code winning over
/// configuration, and bad values failing start-up with the key named.
/// </summary>
public sealed class OptionsFromConfigurationTests
{
    private static WebApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        return builder;
    }

    [Fact]
    public async Task ServerOptions_FromFittenServer_CodeWinsWhereItSetsAValue()
    {
        var builder = Builder(("Fitten:Server:DrainTimeout", "00:00:03"), ("Fitten:Server:Limits:MaxFrameSize", "65536"), ("Fitten:Server:Limits:MaxConcurrentCalls", "7"));
        builder.Services.AddFitten(o => o.Limits.MaxConcurrentCalls = 9);
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<FittenServerOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(3), options.DrainTimeout);
        Assert.Equal(65536, options.Limits.MaxFrameSize);
        Assert.Equal(9, options.Limits.MaxConcurrentCalls);
    }

    [Fact]
    public async Task ServerLimit_OutOfRangeInConfiguration_StartFailsNamingTheSection()
    {
        var builder = Builder(("Fitten:Server:Limits:MaxFrameSize", "10"));
        builder.Services.AddFitten();

        // Kestrel reads the Fitten server's options while the host is built (UseFitten), so that is where it fails.
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync();
        });

        Assert.Contains("Fitten:Server", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFrameSize must be between 1024 and 16777216", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientOptions_FromFittenClients_TimeoutApplies()
    {
        await using var server = await GreeterServer.StartAsync();
        var builder = Builder(("Fitten:Clients:test.greeter:Timeout", "00:00:00.100"), ("Fitten:Clients:test.greeter:Limits:MaxFrameSize", "2048"));
        builder.Services.AddFitten().AddClient<IGreeter>(server.Urls.First());
        await using var app = builder.Build();
        await app.StartAsync();

        var options = app.Services.GetRequiredService<IOptionsMonitor<FittenChannelOptions>>().Get("test.greeter");
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await app.Services.GetRequiredService<IGreeter>().WaitAsync(30_000, default));

        Assert.Equal(2048, options.Limits.MaxFrameSize);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task ClientOption_Invalid_StartFailsNamingTheKey()
    {
        var builder = Builder(("Fitten:Clients:test.greeter:ConnectionsPerEndpoint", "0"));
        builder.Services.AddFitten().AddClient<IGreeter>("127.0.0.1:1");
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Fitten:Clients:test.greeter:ConnectionsPerEndpoint: ConnectionsPerEndpoint must be between 1 and 64. It is 0.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceClientOption_NestedInvalid_StartFailsNamingTheNestedKey()
    {
        var builder = Builder(("Fitten:Clients:test.greeter:Channel:ConnectTimeout", "-00:00:01"), ("Fitten:Clients:test.greeter:LoadBalancingPolicy", "RoundRobin"));
        builder.Services.AddFitten().AddClient<IGreeter>();
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Fitten:Clients:test.greeter:Channel:ConnectTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientPolicy_InvalidMethodOverride_StartFailsNamingTheKeyAtTheSectionRoot(bool balanced)
    {
        var builder = Builder(("Fitten:Clients:test.greeter:Methods:Wait:Retry:MaxAttempts", "0"));
        var fitten = builder.Services.AddFitten();
        _ = balanced ? fitten.AddClient<IGreeter>() : fitten.AddClient<IGreeter>("127.0.0.1:1");
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Fitten:Clients:test.greeter:Methods:Wait:Retry:MaxAttempts: MaxAttempts must be between 1 and 10. It is 0.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientPolicy_FromConfiguration_ResolvedPerMethod()
    {
        await using var server = await GreeterServer.StartAsync();
        var builder = Builder(
            ("Fitten:Clients:test.greeter:Timeout", "00:00:02"),
            ("Fitten:Clients:test.greeter:Retry:MaxAttempts", "4"),
            ("Fitten:Clients:test.greeter:Methods:Wait:AttemptTimeout", "00:00:00.250"),
            ("Fitten:Clients:test.greeter:Methods:Wait:Idempotent", "true"),
            ("Fitten:Clients:test.greeter:Methods:Wait:Retry:MaxBackoff", "00:00:01"));
        builder.Services.AddFitten().AddClient<IGreeter>(server.Urls.First());
        await using var app = builder.Build();
        await app.StartAsync();

        var policy = app.Services.GetRequiredService<IOptionsMonitor<FittenChannelOptions>>().Get("test.greeter").Policy;
        var described = policy.Describe(FittenContracts.Get<IGreeter>());
        var wait = described.Single(p => p.Method == "test.greeter/Wait");
        var other = described.Single(p => p.Method == "test.greeter/Count");
        var greet = described.Single(p => p.Method == "test.greeter/Greet");

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250), true, 4, TimeSpan.FromSeconds(1)), (wait.Timeout, wait.AttemptTimeout, wait.Idempotent, wait.MaxAttempts, wait.MaxBackoff));
        Assert.Equal((TimeSpan.FromSeconds(2), (TimeSpan?)null, false, 4), (other.Timeout, other.AttemptTimeout, other.Idempotent, other.MaxAttempts));
        Assert.True(greet.Idempotent); // from the contract's [Idempotent]
        Assert.Equal(7, described.Count);
        Assert.Contains("test.greeter/Wait: timeout 2000 ms, attempt timeout 250 ms, up to 4 attempts", wait.ToString(), StringComparison.Ordinal);
        await app.StopAsync();
    }
}
