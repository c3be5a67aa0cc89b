using Fitten.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Hosting;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Fitten RPC clients of a <see cref="ShopHost"/>'s services, by address rather than through the shop's registry,
/// so a test sees each service directly. Only the services the host runs have one.
/// </summary>
internal sealed class TestClients : IAsyncDisposable
{
    private readonly WebApplication _app;

    public TestClients(ShopHost host)
        : this(host.Settings.Services.ToDictionary(s => s.Name, s => host.Url(s.Name).Authority))
    {
    }

    /// <summary>Clients of the services named in <paramref name="addresses"/> ("orders" → "127.0.0.1:5101").</summary>
    public TestClients(IReadOnlyDictionary<string, string> addresses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var fitten = builder.Services.AddFitten();
        foreach (var (service, address) in addresses)
        {
            _ = service switch
            {
                "gateway" => fitten.AddClient<IShopGateway>(address, Timeout),
                "orders" => fitten.AddClient<IOrderService>(address, Timeout),
                "inventory" => fitten.AddClient<IInventoryService>(address, Timeout),
                "payments" => fitten.AddClient<IPaymentService>(address, Timeout),
                _ => throw new ArgumentException($"No client for '{service}'.", nameof(addresses)),
            };
        }

        _app = builder.Build();
    }

    public IShopGateway Gateway => _app.Services.GetRequiredService<IShopGateway>();

    public IOrderService Orders => _app.Services.GetRequiredService<IOrderService>();

    public IInventoryService Inventory => _app.Services.GetRequiredService<IInventoryService>();

    public IPaymentService Payments => _app.Services.GetRequiredService<IPaymentService>();

    public async Task<int> InStockAsync(string sku)
        => (await Inventory.ListProductsAsync()).Single(p => p.Sku == sku).InStock;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    // Every call in these tests is bounded, so a broken shop fails a test instead of hanging the run.
    private static void Timeout(Fitten.Client.FittenChannelOptions options) => options.Policy.Timeout = TimeSpan.FromSeconds(15);
}
