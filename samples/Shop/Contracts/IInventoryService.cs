using Fitten;

namespace Shop.Contracts;

/// <summary>
/// Inventory: the catalogue and its stock. Reservations are keyed by order id, so reserving or releasing twice for
/// one order (a retry after a lost answer) does it once.
/// </summary>
[FittenService("shop.inventory")]
public interface IInventoryService
{
    /// <summary>Every product with its price and the stock not reserved.</summary>
    [Idempotent]
    ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes all of <paramref name="lines"/> out of stock for <paramref name="orderId"/>, or none of them: NOT_FOUND
    /// for an unknown SKU, FAILED_PRECONDITION when any is short. Returns the existing reservation when the order has one.
    /// </summary>
    [Idempotent]
    ValueTask<Reservation> ReserveAsync(long orderId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken = default);

    /// <summary>Puts an order's reserved items back in stock; false when the order held no reservation.</summary>
    [Idempotent]
    ValueTask<bool> ReleaseAsync(long orderId, CancellationToken cancellationToken = default);
}
