namespace Shop.Inventory;

public sealed partial class InventoryService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Reserved {Lines} line(s) for order {OrderId}, worth {Total}")]
        public static partial void Reserved(ILogger logger, long orderId, int lines, decimal total);

        [LoggerMessage(2, LogLevel.Information, "Released the reservation of order {OrderId}")]
        public static partial void Released(ILogger logger, long orderId);

        [LoggerMessage(3, LogLevel.Information, "Order {OrderId} wants {Wanted} x {Sku}, {Left} left")]
        public static partial void OutOfStock(ILogger logger, long orderId, string sku, int wanted, int left);
    }
}
