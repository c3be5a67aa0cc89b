namespace Shop.Payments;

public sealed partial class PaymentService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Charged {Amount} for order {OrderId} ({PaymentId}, lane {Lane})")]
        public static partial void Charged(ILogger logger, string paymentId, long orderId, decimal amount, string lane);

        [LoggerMessage(2, LogLevel.Information, "Declined {Amount} for order {OrderId}: {Why}")]
        public static partial void Declined(ILogger logger, long orderId, decimal amount, string why);

        [LoggerMessage(3, LogLevel.Information, "Refunded {PaymentId} of order {OrderId}")]
        public static partial void Refunded(ILogger logger, string paymentId, long orderId);
    }
}
