using Fitten;

namespace Shop.Contracts;

/// <summary>
/// The shop's public face: what users call over HTTP/JSON (the route attributes below) and what other Fitten
/// services may call over RPC. It hides the internal contracts, so they can change without breaking users.
/// </summary>
[FittenService("shop.gateway")]
public interface IShopGateway
{
    /// <summary>The catalogue with current stock.</summary>
    [Idempotent]
    [HttpGet("/products")]
    ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default);

    /// <summary>Places an order; the answer says whether it was confirmed or why it failed.</summary>
    [HttpPost("/orders")]
    ValueTask<Order> PlaceOrderAsync(PlaceOrder order, CancellationToken cancellationToken = default);

    /// <summary>An order by id; NOT_FOUND when there is none.</summary>
    [Idempotent]
    [HttpGet("/orders/{id}")]
    ValueTask<Order> GetOrderAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Cancels a confirmed order: refunds it and puts its items back in stock.</summary>
    [Idempotent]
    [HttpDelete("/orders/{id}")]
    ValueTask<Order> CancelOrderAsync(long id, CancellationToken cancellationToken = default);
}
