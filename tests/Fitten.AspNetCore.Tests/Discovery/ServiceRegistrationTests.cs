using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Tests.Discovery;

/// <summary>Which addresses <c>AddServiceRegistration</c> publishes: real Kestrel listeners, the in-process registry.</summary>
public sealed class ServiceRegistrationTests
{
    private const string AdvertisedHostKey = "Fitten:Registry:AdvertisedHost";
    private static readonly CallOptions Call = CallOptions.WithTimeout(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Register_HttpOnlyPortListedFirst_PublishesOnlyTheRpcPort()
    {
        // The HTTP-only listener binds first, so it is the first address Kestrel lists.
        await using var app = Build([], k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
        });
        await app.StartAsync();

        var instance = Assert.Single(await PublishedAsync(app));

        Assert.Equal("127.0.0.1", instance.Host);
        Assert.Equal("self", await CallAsync(instance));
        await app.StopAsync();
    }

    [Fact]
    public async Task Register_WildcardBindingWithAdvertisedHost_PublishesTheAdvertisedHost()
    {
        await using var app = Build(new() { [AdvertisedHostKey] = "rpc.example.test" }, k => k.Listen(IPAddress.Any, 0, l => l.UseFitten()));
        await app.StartAsync();

        var instance = Assert.Single(await PublishedAsync(app));

        Assert.Equal(("rpc.example.test", new Uri(app.Urls.Single()).Port), (instance.Host, instance.Port));
        await app.StopAsync();
    }

    [Fact]
    public async Task Register_WildcardBinding_LogsTheHostItPublishes()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = Build(new() { [AdvertisedHostKey] = "rpc.example.test" }, k => k.Listen(IPAddress.Any, 0, l => l.UseFitten()), logs);
        await app.StartAsync();

        var published = await logs.WaitForAsync(103);

        Assert.Contains("published as rpc.example.test:", published.Message, StringComparison.Ordinal);
        Assert.Contains(AdvertisedHostKey, published.Message, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Register_NoEndpointServesRpc_PublishesNothingAndWarns()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = Build([], k => k.Listen(IPAddress.Loopback, 0), logs);
        await app.StartAsync();

        var warning = await logs.WaitForAsync(104);

        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(InstanceServer.Service, warning.Message, StringComparison.Ordinal);
        Assert.Empty(await PublishedAsync(app));
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_BadAdvertisedHostUnderAnotherSectionPath_FailsNamingThatKey()
    {
        await using var app = Build(
            new() { ["My:Registry:AdvertisedHost"] = "http://rpc.example.test" }, k => k.Listen(IPAddress.Any, 0, l => l.UseFitten()), registrySection: "My:Registry");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("My:Registry:AdvertisedHost is 'http://rpc.example.test'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WildcardBindingWithoutAdvertisedHost_PublishesAMachineAddressOrFailsNamingTheKey()
    {
        await using var app = Build([], k => k.Listen(IPAddress.Any, 0, l => l.UseFitten()));
        var usable = UpIPv4Addresses();
        if (usable.Count == 0)
        {
            // A machine with no address other machines could reach: start-up says which key to set.
            var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.Contains(AdvertisedHostKey, ex.Message, StringComparison.Ordinal);
            return;
        }

        await app.StartAsync();
        var instance = Assert.Single(await PublishedAsync(app));

        Assert.Contains(instance.Host, usable);
        Assert.Equal("self", await CallAsync(instance));
        await app.StopAsync();
    }

    [Fact]
    public async Task Register_LoopbackBindingWithAdvertisedHost_StaysLoopback()
    {
        // A service bound to loopback only is a local setup: other machines could not reach it by any name.
        await using var app = Build(new() { [AdvertisedHostKey] = "rpc.example.test" }, k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        await app.StartAsync();

        var instance = Assert.Single(await PublishedAsync(app));

        Assert.Equal("127.0.0.1", instance.Host);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("http://rpc.example.test")]
    [InlineData("rpc.example.test:5000")]
    [InlineData("rpc example")]
    [InlineData("0.0.0.0")]
    [InlineData("[::]")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public async Task Start_BadAdvertisedHost_FailsNamingTheKey(string value)
    {
        await using var app = Build(new() { [AdvertisedHostKey] = value }, k => k.Listen(IPAddress.Any, 0, l => l.UseFitten()));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(AdvertisedHostKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A server registering itself; with <paramref name="registrySection"/>, the registry is chosen from that section.</summary>
    private static WebApplication Build(
        Dictionary<string, string?> settings, Action<KestrelServerOptions> listen, CapturingLoggerProvider? logs = null, string? registrySection = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        var fitten = builder.Services.AddFitten();
        if (registrySection is not null)
        {
            fitten.AddRegistryFromConfiguration(registrySection);
        }

        fitten.AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("self"))
            .AddServiceRegistration(InstanceServer.Service);
        builder.WebHost.ConfigureKestrel(listen);
        return builder.Build();
    }

    private static async Task<IReadOnlyList<ServiceInstance>> PublishedAsync(WebApplication app)
        => (await app.Services.GetRequiredService<IServiceResolver>().ResolveAsync(InstanceServer.Service)).Instances;

    /// <summary>Calls the published instance over a channel of its own: proves Fitten RPC answers there.</summary>
    private static async Task<string> CallAsync(ServiceInstance instance)
    {
        await using var channel = FittenChannel.ForAddress(instance.Address);
        return await channel.InvokeAsync(InstanceServer.Whoami, "", Call);
    }

    /// <summary>This machine's IPv4 addresses that other machines could use, read independently of the code under test.</summary>
    private static HashSet<string> UpIPv4Addresses()
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
                {
                    addresses.Add(address.ToString());
                }
            }
        }

        return addresses;
    }
}
