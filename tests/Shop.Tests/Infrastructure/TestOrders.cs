using Shop.Contracts;

namespace Shop.Tests.Infrastructure;

/// <summary>Orders the tests place.</summary>
internal static class TestOrders
{
    public const string GoodCard = "4242-4242-4242-4242";

    public const string DeclinedCard = "4000-0000-0000-0002";

    public static PlaceOrder Of(string sku, int quantity, string card = GoodCard) => new("ada", [new OrderLine(sku, quantity)], card);
}
