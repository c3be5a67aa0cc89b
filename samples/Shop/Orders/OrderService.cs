using System.Collections.Concurrent;
using Fitten;
using Fitten.Client;
using Shop.Contracts;

namespace Shop.Orders;

/// <summary>
/// Places orders as a small saga: reserve the stock, then charge the card; when a step fails, undo the steps before
/// it (release the stock, refund) and record the order as failed. Orders live in memory.
/// </summary>
public sealed partial class OrderService(IInventoryService inventory, IPaymentService payments, ILogger<OrderService> logger) : IOrderService
{
    /// <summary>
    /// Compensations run on their own clock: detached from the order's call (whose deadline may be what just ran
    /// out) and bounded by a timeout of their own, so stock is released and money refunded even for a caller that
    /// gave up.
    /// </summary>
    private static readonly CallOptions Compensation = new() { IgnoreCallContext = true, Timeout = TimeSpan.FromSeconds(5) };

    private readonly IInventoryService _releasing = inventory.WithCallOptions(Compensation);
    private readonly IPaymentService _refunding = payments.WithCallOptions(Compensation);
    private readonly ConcurrentDictionary<long, Order> _orders = new();
    private long _lastId;

    /// <inheritdoc/>
    public async ValueTask<Order> PlaceAsync(PlaceOrder request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        long id = Interlocked.Increment(ref _lastId);
        var order = new Order(id, request.Customer, request.Lines, 0m, OrderStatus.Pending, Reason: null, PaymentId: null);
        _orders[id] = order;

        Reservation reservation;
        try
        {
            reservation = await inventory.ReserveAsync(id, request.Lines, cancellationToken);
        }
        catch (RpcException ex)
        {
            // A timeout or a lost connection may hide a reservation that was made; releasing by order id undoes it,
            // and is a no-op when there is none.
            if (!DidNothing(ex))
            {
                await CompensateAsync(id, refund: false);
            }

            return Fail(order, Reason("Could not reserve", ex), ex);
        }

        order = order with { Total = reservation.Total };
        Payment payment;
        try
        {
            payment = await payments.ChargeAsync(id, reservation.Total, request.CardNumber, cancellationToken);
        }
        catch (RpcException ex)
        {
            // A decline took no money; any other failure may have (the charge ran, its answer was lost), so refund too.
            await CompensateAsync(id, refund: !DidNothing(ex));
            return Fail(order, Reason("Could not charge", ex), ex);
        }

        order = order with { Status = OrderStatus.Confirmed, PaymentId = payment.Id };
        _orders[id] = order;
        Log.Confirmed(logger, id, order.Total, payment.Id);
        return order;
    }

    /// <inheritdoc/>
    public ValueTask<Order> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Find(id));

    /// <inheritdoc/>
    public async ValueTask<Order> CancelAsync(long id, CancellationToken cancellationToken = default)
    {
        var order = Find(id);
        switch (order.Status)
        {
            case OrderStatus.Cancelled:
                return order;
            case OrderStatus.Pending:
                throw new RpcException(StatusCode.FailedPrecondition, $"Order {id} is still being placed.");
            case OrderStatus.Failed:
                throw new RpcException(StatusCode.FailedPrecondition, $"Order {id} failed; there is nothing to cancel.");
        }

        // Refund first: if it fails the order stays confirmed with its stock held, which is still true, and cancelling
        // again is safe because refund and release are both idempotent. Two cancels racing do the same, harmlessly.
        await payments.RefundAsync(id, cancellationToken);
        await inventory.ReleaseAsync(id, cancellationToken);
        var cancelled = order with { Status = OrderStatus.Cancelled };
        _orders.TryUpdate(id, cancelled, order);
        Log.Cancelled(logger, id);
        return _orders[id];
    }

    private Order Find(long id)
        => _orders.TryGetValue(id, out var order) ? order : throw new RpcException(StatusCode.NotFound, $"No order {id}.");

    /// <summary>
    /// Records the order as failed and returns it, or, when the order's own deadline ran out or its caller cancelled,
    /// throws that status on: nobody is waiting for an answer, and the callers upstream should fail the same way.
    /// </summary>
    private Order Fail(Order order, string reason, RpcException cause)
    {
        var failed = order with { Status = OrderStatus.Failed, Reason = reason };
        _orders[order.Id] = failed;
        Log.Failed(logger, order.Id, reason);
        if (cause.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled && ServerCallContext.Current is { CancellationToken.IsCancellationRequested: true })
        {
            throw new RpcException(cause.StatusCode, $"Order {order.Id} failed: {reason}");
        }

        return failed;
    }

    /// <summary>
    /// Undoes an order's reservation (and its charge, when <paramref name="refund"/>). Not tied to the caller's
    /// token or deadline (<see cref="Compensation"/>): a caller that gave up must not leave stock reserved or money taken. A step that fails is logged for
    /// someone to reconcile; the order is failed either way.
    /// </summary>
    private async ValueTask CompensateAsync(long id, bool refund)
    {
        if (refund)
        {
            try
            {
                await _refunding.RefundAsync(id, CancellationToken.None);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.NotFound)
            {
                Log.CompensationFailed(logger, id, "refund", ex.Status.ToString());
            }
            catch (RpcException)
            {
                // NOT_FOUND: the charge never happened, so there is nothing to give back.
            }
        }

        try
        {
            await _releasing.ReleaseAsync(id, CancellationToken.None);
        }
        catch (RpcException ex)
        {
            Log.CompensationFailed(logger, id, "release", ex.Status.ToString());
        }
    }

    /// <summary>True when the callee turned the request down by a business rule (out of stock, declined): its message is for the user.</summary>
    private static bool IsRejection(RpcException ex)
        => ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange;

    /// <summary>True when the call certainly changed nothing (rejected, or never run), so there is nothing of it to undo.</summary>
    private static bool DidNothing(RpcException ex) => ex.NotProcessed || IsRejection(ex);

    private static string Reason(string step, RpcException ex)
        => IsRejection(ex) ? ex.Status.Message : $"{step} ({ex.StatusCode}): {ex.Status.Message}";

    private static void Validate(PlaceOrder? request)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Customer))
        {
            throw new RpcException(StatusCode.InvalidArgument, "An order needs a customer.");
        }

        if (request.Lines is not { Count: > 0 } || request.Lines.Any(l => l is null || string.IsNullOrEmpty(l.Sku) || l.Quantity < 1))
        {
            throw new RpcException(StatusCode.InvalidArgument, "An order needs at least one line, each with a SKU and a positive quantity.");
        }

        if (string.IsNullOrWhiteSpace(request.CardNumber))
        {
            throw new RpcException(StatusCode.InvalidArgument, "An order needs a card number.");
        }
    }
}
