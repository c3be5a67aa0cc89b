using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Shop.Contracts;
using Shop.Hosting;

namespace Shop.Gateway;

/// <summary>Adds the gateway to a host.</summary>
public static class GatewayRegistration
{
    /// <summary>
    /// Serves <see cref="IShopGateway"/>, with clients of orders and inventory found through the host's registry; the
    /// product list falls back to the last one seen (<see cref="CatalogCache"/>) while inventory cannot answer.
    /// </summary>
    public static IFittenBuilder AddGateway(this IFittenBuilder fitten)
    {
        fitten.Services.AddSingleton<CatalogCache>();
        fitten.Services.AddOptions<ServiceChannelOptions>(IInventoryServiceFitten.ServiceName)
            .Configure<CatalogCache>((options, catalog) => options.Channel.Policy.AddFallback(IInventoryServiceFitten.ListProductsAsync, (_, failure) => catalog.Answer(failure)));
        return fitten
            .AddService<IShopGateway, GatewayService>()
            .AddClient<IOrderService>(ShopClients.Gateway)
            .AddClient<IInventoryService>(ShopClients.Gateway);
    }
}
