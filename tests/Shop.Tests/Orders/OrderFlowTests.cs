using Fitten;
using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>Placing, reading and cancelling orders through the gateway over Fitten RPC, all four services in one process.</summary>
public sealed class OrderFlowTests : IAsyncLifetime
{
    private TestShop _shop = null!;

    public async Task InitializeAsync() => _shop = await TestShop.StartAsync();

    public async Task DisposeAsync() => await _shop.DisposeAsync();

    [Fact]
    public async Task PlaceOrder_InStockAndCardAccepted_ConfirmsTakesStockAndCharges()
    {
        int before = await _shop.Clients.InStockAsync("tea-sencha");

        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("tea-sencha", 2));

        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(15.00m, order.Total);
        Assert.Null(order.Reason);
        Assert.Equal(before - 2, await _shop.Clients.InStockAsync("tea-sencha"));
        var payment = Assert.Single(await _shop.Clients.Payments.ListAsync());
        Assert.Equal(new Payment(order.PaymentId!, order.Id, 15.00m, "4242", PaymentStatus.Captured), payment);
        var read = await _shop.Clients.Gateway.GetOrderAsync(order.Id);
        Assert.Equal((order.Id, OrderStatus.Confirmed, "ada", 15.00m), (read.Id, read.Status, read.Customer, read.Total));
        Assert.Equal(order.Lines, read.Lines);
    }

    [Fact]
    public async Task PlaceOrder_OutOfStock_FailsWithoutChargingOrTakingStock()
    {
        int kettles = await _shop.Clients.InStockAsync("kettle-steel");

        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("kettle-steel", kettles + 1));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Contains("Out of stock", order.Reason);
        Assert.Null(order.PaymentId);
        Assert.Empty(await _shop.Clients.Payments.ListAsync());
        Assert.Equal(kettles, await _shop.Clients.InStockAsync("kettle-steel"));
        Assert.Equal(OrderStatus.Failed, (await _shop.Clients.Gateway.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task PlaceOrder_SeveralLinesOneShort_TakesNoneOfThem()
    {
        int mugs = await _shop.Clients.InStockAsync("mug-stone");
        var request = new PlaceOrder("ada", [new OrderLine("mug-stone", 1), new OrderLine("kettle-steel", 99)], TestOrders.GoodCard);

        var order = await _shop.Clients.Gateway.PlaceOrderAsync(request);

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Equal(mugs, await _shop.Clients.InStockAsync("mug-stone"));
    }

    [Theory]
    [InlineData("mug-stone", 1, TestOrders.DeclinedCard, "Card declined.")]
    [InlineData("espresso-machine", 2, TestOrders.GoodCard, "over the card limit")]
    public async Task PlaceOrder_CardDeclined_ReleasesTheStockAndFails(string sku, int quantity, string card, string reason)
    {
        int before = await _shop.Clients.InStockAsync(sku);

        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of(sku, quantity, card));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Contains(reason, order.Reason);
        Assert.Null(order.PaymentId);
        Assert.Equal(before, await _shop.Clients.InStockAsync(sku));
        Assert.Empty(await _shop.Clients.Payments.ListAsync());
        Assert.False(await _shop.Clients.Inventory.ReleaseAsync(order.Id));
    }

    [Fact]
    public async Task PlaceOrder_UnknownSku_FailsNamingIt()
    {
        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("no-such-thing", 1));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Contains("no-such-thing", order.Reason);
        Assert.Empty(await _shop.Clients.Payments.ListAsync());
    }

    [Fact]
    public async Task PlaceOrder_NoLines_InvalidArgumentAndNoOrder()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _shop.Clients.Gateway.PlaceOrderAsync(new PlaceOrder("ada", [], TestOrders.GoodCard)).AsTask());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => _shop.Clients.Gateway.GetOrderAsync(1).AsTask())).StatusCode);
    }

    [Fact]
    public async Task GetOrder_Unknown_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _shop.Clients.Gateway.GetOrderAsync(42).AsTask());

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("42", ex.Status.Message);
    }

    [Fact]
    public async Task CancelOrder_Confirmed_RefundsRestocksAndCancelsOnce()
    {
        int before = await _shop.Clients.InStockAsync("mug-stone");
        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("mug-stone", 3));

        var cancelled = await _shop.Clients.Gateway.CancelOrderAsync(order.Id);
        var again = await _shop.Clients.Gateway.CancelOrderAsync(order.Id);

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(OrderStatus.Cancelled, again.Status);
        Assert.Equal(before, await _shop.Clients.InStockAsync("mug-stone"));
        Assert.Equal(PaymentStatus.Refunded, Assert.Single(await _shop.Clients.Payments.ListAsync()).Status);
    }

    [Fact]
    public async Task CancelOrder_FailedOrder_FailedPrecondition()
    {
        var order = await _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("mug-stone", 1, TestOrders.DeclinedCard));

        var ex = await Assert.ThrowsAsync<RpcException>(() => _shop.Clients.Gateway.CancelOrderAsync(order.Id).AsTask());

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
    }

    [Fact]
    public async Task CancelOrder_Unknown_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _shop.Clients.Gateway.CancelOrderAsync(7).AsTask());

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task PlaceOrder_ConcurrentOrdersForTheLastItems_NeverOversells()
    {
        int kettles = await _shop.Clients.InStockAsync("kettle-steel");

        var orders = await Task.WhenAll(Enumerable.Range(0, kettles + 5).Select(_ => _shop.Clients.Gateway.PlaceOrderAsync(TestOrders.Of("kettle-steel", 1)).AsTask()));

        Assert.Equal(kettles, orders.Count(o => o.Status == OrderStatus.Confirmed));
        Assert.Equal(0, await _shop.Clients.InStockAsync("kettle-steel"));
        Assert.Equal(kettles, (await _shop.Clients.Payments.ListAsync()).Count);
        Assert.Equal(orders.Length, orders.Select(o => o.Id).Distinct().Count());
    }
}
