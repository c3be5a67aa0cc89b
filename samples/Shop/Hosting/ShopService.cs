using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Shop.Contracts;
using Shop.Gateway;
using Shop.Inventory;
using Shop.Orders;
using Shop.Payments;

namespace Shop.Hosting;

/// <summary>One of the shop's services, as a host runs it.</summary>
/// <param name="Name">Its short name on the command line ("orders").</param>
/// <param name="DefaultPort">Its port unless configured otherwise.</param>
/// <param name="Add">Adds its implementation and the clients it needs.</param>
/// <param name="Register">
/// Registers it in the host's registry once it listens, so others can find it; null for the gateway, which users
/// reach at a known address and no service calls.
/// </param>
/// <param name="ServesHttp">
/// Whether its port also serves HTTP/JSON (the gateway). The others speak only Fitten RPC: nothing outside the shop
/// calls them, and a port that serves HTTP too lists a second, hidden address that registration would publish.
/// </param>
public sealed record ShopService(string Name, int DefaultPort, Action<IFittenBuilder> Add, Action<IFittenBuilder>? Register, bool ServesHttp)
{
    /// <summary>
    /// The four services, in start order: each starts after the ones it calls, and stops before them, so no call
    /// in flight loses the service it is waiting on.
    /// </summary>
    public static IReadOnlyList<ShopService> All { get; } =
    [
        new("inventory", 5102, f => f.AddInventory(), f => f.AddServiceRegistration<IInventoryService>(), ServesHttp: false),
        new("payments", 5103, f => f.AddPayments(), f => f.AddServiceRegistration<IPaymentService>(), ServesHttp: false),
        new("orders", 5101, f => f.AddOrders(), f => f.AddServiceRegistration<IOrderService>(), ServesHttp: false),
        new("gateway", 5080, f => f.AddGateway(), Register: null, ServesHttp: true),
    ];

    /// <summary>The service named <paramref name="name"/>; throws naming the known ones otherwise.</summary>
    public static ShopService Get(string name)
        => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown service '{name}'; the shop has {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
}
