namespace Shop.Orders;

public sealed partial class OrderService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Order {OrderId} confirmed: {Total} charged ({PaymentId})")]
        public static partial void Confirmed(ILogger logger, long orderId, decimal total, string paymentId);

        [LoggerMessage(2, LogLevel.Information, "Order {OrderId} failed: {Reason}")]
        public static partial void Failed(ILogger logger, long orderId, string reason);

        [LoggerMessage(3, LogLevel.Information, "Order {OrderId} cancelled: refunded and stock released")]
        public static partial void Cancelled(ILogger logger, long orderId);

        [LoggerMessage(4, LogLevel.Warning, "Order {OrderId}: {Step} failed while undoing it ({Status}); reconcile by hand")]
        public static partial void CompensationFailed(ILogger logger, long orderId, string step, string status);
    }
}
