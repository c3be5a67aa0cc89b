using Microsoft.Extensions.Configuration;
using Shop.Hosting;

namespace Shop.Tests.Infrastructure;

/// <summary>The whole shop in this process on free loopback ports, with clients of every service.</summary>
internal sealed class TestShop : IAsyncDisposable
{
    private TestShop(ShopHost host)
    {
        Host = host;
        Clients = new TestClients(host);
    }

    public ShopHost Host { get; }

    public TestClients Clients { get; }

    /// <summary>
    /// The sample's own appsettings.json (its client policies among them), with every service on a free port, plus
    /// <paramref name="settings"/>.
    /// </summary>
    public static IConfiguration Configuration(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
        };
        foreach (var service in ShopService.All)
        {
            values[$"Shop:Ports:{service.Name}"] = "0";
        }

        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .AddInMemoryCollection(values)
            .Build();
    }

    /// <summary>Starts the services <paramref name="settings"/> select (all four by default), bounded in time.</summary>
    public static Task<ShopHost> StartHostAsync(params (string Key, string? Value)[] settings)
        => ShopHost.StartAsync(Configuration(settings)).WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Starts all four services in one process, on the in-process registry.</summary>
    public static async Task<TestShop> StartAsync(params (string Key, string? Value)[] settings)
        => new(await StartHostAsync(settings));

    public async ValueTask DisposeAsync()
    {
        await Clients.DisposeAsync();
        await Host.DisposeAsync();
    }
}
