using Fitten;

namespace Shop.Contracts;

/// <summary>Orders: owns each order's life, and undoes what it started when a later step fails.</summary>
[FittenService("shop.orders")]
public interface IOrderService
{
    /// <summary>
    /// Reserves the items, then charges the card. An order that cannot be completed (unknown item, out of stock,
    /// card declined) comes back <see cref="OrderStatus.Failed"/> with a reason, its reservation released and
    /// nothing charged. INVALID_ARGUMENT for a malformed request, which creates no order.
    /// </summary>
    ValueTask<Order> PlaceAsync(PlaceOrder request, CancellationToken cancellationToken = default);

    /// <summary>An order by id; NOT_FOUND when there is none.</summary>
    [Idempotent]
    ValueTask<Order> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a confirmed order (refund, then release the stock); cancelling a cancelled order returns it unchanged.
    /// NOT_FOUND for an unknown order, FAILED_PRECONDITION for one that is still being placed or has failed.
    /// </summary>
    [Idempotent]
    ValueTask<Order> CancelAsync(long id, CancellationToken cancellationToken = default);
}
