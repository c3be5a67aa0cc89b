using Fitten.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Hosting;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The whole shop in this process on free loopback ports, with clients of every service over Fitten RPC (by
/// address, not through the shop's registry, so a test sees each service directly).
/// </summary>
internal sealed class TestShop : IAsyncDisposable
{
    private readonly WebApplication _clients;

    private TestShop(ShopHost host, WebApplication clients)
    {
        Host = host;
        _clients = clients;
    }

    public ShopHost Host { get; }

    public IShopGateway Gateway => _clients.Services.GetRequiredService<IShopGateway>();

    public IOrderService Orders => _clients.Services.GetRequiredService<IOrderService>();

    public IInventoryService Inventory => _clients.Services.GetRequiredService<IInventoryService>();

    public IPaymentService Payments => _clients.Services.GetRequiredService<IPaymentService>();

    /// <summary>Configuration for a shop whose services all pick free ports, plus <paramref name="settings"/>.</summary>
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

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>Starts all four services in one process, on the in-process registry.</summary>
    public static async Task<TestShop> StartAsync(params (string Key, string? Value)[] settings)
    {
        var host = await ShopHost.StartAsync(Configuration(settings)).WaitAsync(TimeSpan.FromSeconds(30));
        return new TestShop(host, Clients(host, host.Settings.Services.Select(s => s.Name)));
    }

    /// <summary>Clients, by address, of those of <paramref name="services"/> that <paramref name="host"/> runs.</summary>
    public static WebApplication Clients(ShopHost host, IEnumerable<string> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var fitten = builder.Services.AddFitten();
        foreach (string service in services)
        {
            string address = host.Url(service).Authority;
            _ = service switch
            {
                "gateway" => fitten.AddClient<IShopGateway>(address, Timeout),
                "orders" => fitten.AddClient<IOrderService>(address, Timeout),
                "inventory" => fitten.AddClient<IInventoryService>(address, Timeout),
                "payments" => fitten.AddClient<IPaymentService>(address, Timeout),
                _ => throw new ArgumentException($"No client for '{service}'.", nameof(services)),
            };
        }

        return builder.Build();
    }

    public async Task<int> InStockAsync(string sku)
        => (await Inventory.ListProductsAsync()).Single(p => p.Sku == sku).InStock;

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        await Host.DisposeAsync();
    }

    // Every call in these tests is bounded, so a broken shop fails a test instead of hanging the run.
    private static void Timeout(Fitten.Client.FittenChannelOptions options) => options.DefaultTimeout = TimeSpan.FromSeconds(15);
}
