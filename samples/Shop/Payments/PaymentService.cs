using Fitten;
using Microsoft.Extensions.Options;
using Shop.Contracts;

namespace Shop.Payments;

/// <summary>
/// A pretend card processor that records charges in memory. One charge per order: charging an order again returns
/// its first charge, so orders can retry a charge whose answer was lost without taking the money twice.
/// </summary>
public sealed partial class PaymentService(IOptions<PaymentOptions> options, ILogger<PaymentService> logger) : IPaymentService
{
    private readonly PaymentOptions _options = options.Value;
    private readonly string _declinedDigits = Digits(options.Value.DeclinedCard);
    private readonly Lock _lock = new();
    private readonly List<Payment> _payments = [];
    private readonly Dictionary<long, int> _byOrder = [];

    /// <inheritdoc/>
    public async ValueTask<Payment> ChargeAsync(long orderId, decimal amount, string cardNumber, CancellationToken cancellationToken = default)
    {
        if (_options.ProcessingDelay > TimeSpan.Zero)
        {
            // The processor's latency. The token fires when the call's deadline (set at the gateway) passes.
            await Task.Delay(_options.ProcessingDelay, cancellationToken);
        }

        string digits = Digits(cardNumber);
        if (digits.Length is < 12 or > 19)
        {
            throw new RpcException(StatusCode.InvalidArgument, "A card number has 12 to 19 digits.");
        }

        if (amount <= 0)
        {
            throw new RpcException(StatusCode.InvalidArgument, "The amount to charge must be positive.");
        }

        lock (_lock)
        {
            if (_byOrder.TryGetValue(orderId, out int index))
            {
                return _payments[index];
            }

            if (digits == _declinedDigits)
            {
                Log.Declined(logger, orderId, amount, "test decline card");
                throw new RpcException(StatusCode.FailedPrecondition, "Card declined.");
            }

            if (amount > _options.CardLimit)
            {
                Log.Declined(logger, orderId, amount, "over the card limit");
                throw new RpcException(StatusCode.FailedPrecondition, $"Card declined: {amount} is over the card limit of {_options.CardLimit}.");
            }

            // The lane tag travels from the gateway's HTTP request through orders to here (the ambient call context).
            string? lane = ServerCallContext.Current?.RequestHeaders.GetValue("lane", MetadataEntryKind.Tag);
            var payment = new Payment($"pay_{_payments.Count + 1}", orderId, amount, digits[^4..], PaymentStatus.Captured, lane);
            _byOrder.Add(orderId, _payments.Count);
            _payments.Add(payment);
            Log.Charged(logger, payment.Id, orderId, amount, lane ?? "main");
            return payment;
        }
    }

    /// <inheritdoc/>
    public ValueTask<Payment> RefundAsync(long orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byOrder.TryGetValue(orderId, out int index))
            {
                throw new RpcException(StatusCode.NotFound, $"Order {orderId} was never charged.");
            }

            if (_payments[index].Status == PaymentStatus.Captured)
            {
                _payments[index] = _payments[index] with { Status = PaymentStatus.Refunded };
                Log.Refunded(logger, _payments[index].Id, orderId);
            }

            return ValueTask.FromResult(_payments[index]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Payment>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<Payment>>([.. _payments]);
        }
    }

    private static string Digits(string? cardNumber) => string.Concat((cardNumber ?? string.Empty).Where(char.IsAsciiDigit));
}
