using Fitten.AspNetCore.Hosting;
using Shop.Contracts;
using Shop.Hosting;

namespace Shop.Gateway;

/// <summary>Adds the gateway to a host.</summary>
public static class GatewayRegistration
{
    /// <summary>Serves <see cref="IShopGateway"/>, with clients of orders and inventory found through the host's registry.</summary>
    public static IFittenBuilder AddGateway(this IFittenBuilder fitten) => fitten
        .AddService<IShopGateway, GatewayService>()
        .AddClient<IOrderService>(ShopClients.Gateway)
        .AddClient<IInventoryService>(ShopClients.Gateway);
}
