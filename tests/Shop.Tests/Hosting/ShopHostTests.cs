using Fitten.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Hosting;

/// <summary>How <see cref="ShopHost"/> runs the services in one process.</summary>
public class ShopHostTests
{
    [Fact]
    public async Task StartAsync_AllInOneProcess_EachInnerServiceRegistersOnceAtItsOwnPort()
    {
        await using var shop = await TestShop.StartHostAsync();
        var registry = shop.Services("gateway").GetRequiredService<InProcessRegistry>();

        foreach (var (name, contract) in new[] { ("orders", "shop.orders"), ("inventory", "shop.inventory"), ("payments", "shop.payments") })
        {
            var set = await registry.ResolveAsync(contract).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var instance = Assert.Single(set.Instances);
            Assert.Equal(("127.0.0.1", shop.Url(name).Port), (instance.Host, instance.Port));
        }

        Assert.Empty((await registry.ResolveAsync("shop.gateway")).Instances);
        Assert.Same(registry, shop.Services("orders").GetRequiredService<InProcessRegistry>());
    }
}
