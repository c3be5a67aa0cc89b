using Fitten.AspNetCore.Hosting;
using Shop.Contracts;

namespace Shop.Orders;

/// <summary>Adds the orders service to a host.</summary>
public static class OrdersRegistration
{
    /// <summary>
    /// Serves <see cref="IOrderService"/>, with clients of inventory and payments found through the host's registry.
    /// They set no timeout: calls to them inherit the deadline of the order being placed (set at the gateway).
    /// </summary>
    public static IFittenBuilder AddOrders(this IFittenBuilder fitten) => fitten
        .AddService<IOrderService, OrderService>()
        .AddClient<IInventoryService>()
        .AddClient<IPaymentService>();
}
