using Fitten.AspNetCore.Hosting;
using Shop.Contracts;
using Shop.Hosting;

namespace Shop.Orders;

/// <summary>Adds the orders service to a host.</summary>
public static class OrdersRegistration
{
    /// <summary>Serves <see cref="IOrderService"/>, with clients of inventory and payments found through the host's registry.</summary>
    public static IFittenBuilder AddOrders(this IFittenBuilder fitten) => fitten
        .AddService<IOrderService, OrderService>()
        .AddClient<IInventoryService>(ShopClients.Inner)
        .AddClient<IPaymentService>(ShopClients.Inner);
}
