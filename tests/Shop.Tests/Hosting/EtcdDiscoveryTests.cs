using Fitten.Etcd.Tests.Infrastructure;
using Shop.Contracts;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Hosting;

/// <summary><c>--registry etcd</c>: one host per service, each registering in a real etcd and finding the others there, no endpoints configured.</summary>
public class EtcdDiscoveryTests
{
    [Fact]
    public async Task OneServicePerHost_ThroughEtcd_OrdersGoThrough()
    {
        await using var etcd = await EtcdServer.StartAsync();
        (string, string?)[] throughEtcd = [("Shop:Registry", "etcd"), ("Shop:Etcd", etcd.Endpoint)];
        await using var inventory = await TestShop.StartHostAsync([("Shop:Service", "inventory"), .. throughEtcd]);
        await using var payments = await TestShop.StartHostAsync([("Shop:Service", "payments"), .. throughEtcd]);
        await using var orders = await TestShop.StartHostAsync([("Shop:Service", "orders"), .. throughEtcd]);
        await using var gateway = await TestShop.StartHostAsync([("Shop:Service", "gateway"), .. throughEtcd]);
        await using var clients = new TestClients(gateway);

        var order = await clients.Gateway.PlaceOrderAsync(TestOrders.Of("espresso-machine", 1));

        Assert.Equal(ShopRegistry.Etcd, gateway.Settings.Registry);
        Assert.Equal((OrderStatus.Confirmed, 649.00m), (order.Status, order.Total));
        Assert.Equal(4, (await clients.Gateway.ListProductsAsync()).Single(p => p.Sku == "espresso-machine").InStock);
    }
}
