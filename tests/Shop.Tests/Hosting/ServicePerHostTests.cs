using System.Globalization;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Hosting;

/// <summary>
/// The shop as separate hosts, one service each, finding each other through endpoints in configuration: what
/// <c>--service NAME</c> runs in each process, here in one process with separate containers and ports.
/// </summary>
public class ServicePerHostTests
{
    [Fact]
    public async Task OneServicePerHost_EndpointsFromConfiguration_OrdersGoThrough()
    {
        await using var inventory = await StartAsync("inventory");
        await using var payments = await StartAsync("payments");
        await using var orders = await StartAsync("orders", Endpoint("shop.inventory", inventory, "inventory"), Endpoint("shop.payments", payments, "payments"));
        await using var gateway = await StartAsync("gateway", Endpoint("shop.orders", orders, "orders"), Endpoint("shop.inventory", inventory, "inventory"));
        await using var clients = new TestClients(gateway);
        var shop = clients.Gateway;

        var order = await shop.PlaceOrderAsync(TestOrders.Of("mug-stone", 2));
        var products = await shop.ListProductsAsync();

        Assert.Equal(ShopRegistry.Config, orders.Settings.Registry);
        Assert.Equal((OrderStatus.Confirmed, 28.00m), (order.Status, order.Total));
        Assert.Equal(8, products.Single(p => p.Sku == "mug-stone").InStock);
    }

    [Fact]
    public async Task PaymentsDown_OrderFailsAndTheStockIsReleased()
    {
        await using var inventory = await StartAsync("inventory");
        await using var orders = await StartAsync("orders", Endpoint("shop.inventory", inventory, "inventory"), ("Fitten:Clients:shop.payments:Endpoints:0", $"127.0.0.1:{FreePort.Get()}"));
        await using var stock = new TestClients(inventory);
        await using var placing = new TestClients(orders);
        int before = await stock.InStockAsync("tea-sencha");

        var order = await placing.Orders.PlaceAsync(TestOrders.Of("tea-sencha", 1));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.StartsWith("Could not charge (Unavailable)", order.Reason);
        Assert.Equal(before, await stock.InStockAsync("tea-sencha"));
    }

    [Fact]
    public async Task StartAsync_InvalidCardLimit_FailsAndStopsWhatItStarted()
    {
        // Inventory starts before payments fails its options check; it must not be left listening.
        int inventoryPort = FreePort.Get();
        var configuration = TestShop.Configuration(("Shop:Payments:CardLimit", "0"), ("Shop:Ports:inventory", inventoryPort.ToString(CultureInfo.InvariantCulture)));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ShopHost.StartAsync(configuration));

        Assert.Contains("CardLimit must be positive", ex.Message);
        Assert.True(FreePort.IsFree(inventoryPort));
    }

    private static Task<ShopHost> StartAsync(string service, params (string Key, string? Value)[] settings)
        => TestShop.StartHostAsync([("Shop:Service", service), .. settings]);

    private static (string, string?) Endpoint(string contract, ShopHost host, string service)
        => ($"Fitten:Clients:{contract}:Endpoints:0", host.Url(service).Authority);
}
