using Shop.Contracts;

namespace Shop.Gateway;

/// <summary>
/// Forwards users' calls to the services that own the data. It holds no state; statuses from behind it (NOT_FOUND,
/// FAILED_PRECONDITION, …) pass through unchanged. Authentication and rate limits would go here, at the edge.
/// </summary>
public sealed class GatewayService(IOrderService orders, IInventoryService inventory, CatalogCache catalog) : IShopGateway
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default)
        => catalog.Remember(await inventory.ListProductsAsync(cancellationToken));

    /// <inheritdoc/>
    public ValueTask<Order> PlaceOrderAsync(PlaceOrder order, CancellationToken cancellationToken = default)
        => orders.PlaceAsync(order, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Order> GetOrderAsync(long id, CancellationToken cancellationToken = default)
        => orders.GetAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Order> CancelOrderAsync(long id, CancellationToken cancellationToken = default)
        => orders.CancelAsync(id, cancellationToken);
}
