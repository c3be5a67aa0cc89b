using Fitten;

namespace Shop.Contracts;

/// <summary>Payments: charges cards and refunds them. At most one charge per order, so a retried charge is not taken twice.</summary>
[FittenService("shop.payments")]
public interface IPaymentService
{
    /// <summary>
    /// Charges <paramref name="amount"/> to the card for <paramref name="orderId"/>, or returns the order's existing
    /// charge. FAILED_PRECONDITION when the card is declined (the test card 4000-0000-0000-0002, or an amount over the
    /// card limit); INVALID_ARGUMENT for an amount that is not positive or a card number that is not one.
    /// </summary>
    [Idempotent]
    ValueTask<Payment> ChargeAsync(long orderId, decimal amount, string cardNumber, CancellationToken cancellationToken = default);

    /// <summary>Refunds the order's charge (again: a no-op); NOT_FOUND when the order was never charged.</summary>
    [Idempotent]
    ValueTask<Payment> RefundAsync(long orderId, CancellationToken cancellationToken = default);

    /// <summary>Every charge taken, in the order they were taken, with refunds marked.</summary>
    [Idempotent]
    ValueTask<IReadOnlyList<Payment>> ListAsync(CancellationToken cancellationToken = default);
}
