using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Microsoft.Extensions.Configuration;

namespace Fitten.AspNetCore.Tests.Discovery;

public class ConfigurationRegistryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ResolveAsync_AddressesAndObjects_ParsesBoth()
    {
        var configuration = Build(new()
        {
            ["Fitten:Clients:shop.orders:Endpoints:0"] = "127.0.0.1:5001",
            ["Fitten:Clients:shop.orders:Endpoints:1:Address"] = "http://orders.local:5002",
            ["Fitten:Clients:shop.orders:Endpoints:1:Weight"] = "250",
            ["Fitten:Clients:shop.orders:Endpoints:1:Zone"] = "eu-1",
            ["Fitten:Clients:shop.orders:Endpoints:1:Tags:env"] = "canary",
        });
        using var registry = new ConfigurationRegistry(configuration);

        var set = await registry.ResolveAsync("shop.orders");

        Assert.Equal(2, set.Instances.Length);
        Assert.Equal("127.0.0.1:5001", set.Instances[0].Address);
        var second = set.Instances[1];
        Assert.Equal(("orders.local", 5002, 250, "eu-1", "canary"), (second.Host, second.Port, second.Weight, second.Zone, second.Tags["env"]));
    }

    [Theory]
    [InlineData("Endpoints:0", "not an address")]
    [InlineData("Endpoints:0:Weight", "heavy")]
    public void Constructor_InvalidEntry_FailsAtStartUp(string key, string value)
        => Assert.ThrowsAny<Exception>(() => new ConfigurationRegistry(Build(new()
        {
            ["Fitten:Clients:s:Endpoints:0:Address"] = "127.0.0.1:1",
            ["Fitten:Clients:s:" + key] = value,
        })));

    [Fact]
    public async Task WatchAsync_ConfigurationReloaded_YieldsNewInstancesAndKeepsOldOnBadReload()
    {
        var configuration = Build(new() { ["Fitten:Clients:s:Endpoints:0"] = "127.0.0.1:5001" });
        using var registry = new ConfigurationRegistry(configuration);
        using var cts = new CancellationTokenSource(Patience);
        await using var watch = registry.WatchAsync("s", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Single(watch.Current.Instances);

        configuration["Fitten:Clients:s:Endpoints:1"] = "127.0.0.1:5002";
        configuration.Reload();
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(2, watch.Current.Instances.Length);

        configuration["Fitten:Clients:s:Endpoints:1"] = "broken";
        configuration.Reload();
        Assert.Equal(2, (await registry.ResolveAsync("s")).Instances.Length);
    }

    [Fact]
    public async Task InvokeAsync_ThroughConfiguredEndpoints_ReachesTheServer()
    {
        await using var server = await InstanceServer.StartAsync();
        var configuration = Build(new() { [$"Fitten:Clients:{InstanceServer.Service}:Endpoints:0"] = $"127.0.0.1:{server.Port}" });
        using var registry = new ConfigurationRegistry(configuration);
        await using var channel = new ServiceChannel(InstanceServer.Service, registry);

        string port = await channel.InvokeAsync(InstanceServer.Whoami, "", CallOptions.WithTimeout(Patience));

        Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
    }

    private static IConfigurationRoot Build(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
