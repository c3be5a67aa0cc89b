using System.Text.Json;
using Fitten;
using Fitten.AspNetCore.Hosting;
using Fitten.Codecs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Contracts;

/// <summary>
/// <see cref="ShopJsonContext"/> covers everything the contracts carry: every method called over Fitten RPC with the
/// JSON codec, which reads and writes parameters and results through the same options as the HTTP/JSON endpoints.
/// </summary>
public sealed class ShopJsonContextTests : IAsyncLifetime
{
    // Reflection off, as under Native AOT: a type the context lacks fails instead of falling back.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = ShopJsonContext.Default };

    private TestShop _shop = null!;
    private WebApplication _json = null!;

    public async Task InitializeAsync()
    {
        _shop = await TestShop.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        var fitten = builder.Services.AddFitten();
        fitten.AddClient<IShopGateway>(Address("gateway"), Json);
        fitten.AddClient<IOrderService>(Address("orders"), Json);
        fitten.AddClient<IInventoryService>(Address("inventory"), Json);
        fitten.AddClient<IPaymentService>(Address("payments"), Json);
        _json = builder.Build();
    }

    public async Task DisposeAsync()
    {
        await _json.DisposeAsync();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task EveryContractMethod_OverTheJsonCodec_RoundTrips()
    {
        var gateway = _json.Services.GetRequiredService<IShopGateway>();
        var orders = _json.Services.GetRequiredService<IOrderService>();
        var inventory = _json.Services.GetRequiredService<IInventoryService>();
        var payments = _json.Services.GetRequiredService<IPaymentService>();

        Assert.Equal(4, (await gateway.ListProductsAsync()).Count);
        var placed = await gateway.PlaceOrderAsync(TestOrders.Of("mug-stone", 1));
        Assert.Equal(OrderStatus.Confirmed, (await gateway.GetOrderAsync(placed.Id)).Status);
        Assert.Equal(OrderStatus.Cancelled, (await gateway.CancelOrderAsync(placed.Id)).Status);
        Assert.Equal(OrderStatus.Confirmed, (await orders.PlaceAsync(TestOrders.Of("tea-sencha", 1))).Status);
        Assert.Equal(2, (await orders.GetAsync(2)).Id);
        Assert.Equal(OrderStatus.Cancelled, (await orders.CancelAsync(2)).Status);
        Assert.Equal(4, (await inventory.ListProductsAsync()).Count);
        Assert.Equal(14.00m, (await inventory.ReserveAsync(100, [new OrderLine("mug-stone", 1)])).Total);
        Assert.True(await inventory.ReleaseAsync(100));
        Assert.Equal(PaymentStatus.Captured, (await payments.ChargeAsync(100, 1.50m, TestOrders.GoodCard)).Status);
        Assert.Equal(PaymentStatus.Refunded, (await payments.RefundAsync(100)).Status);
        Assert.Equal(3, (await payments.ListAsync()).Count);
        var ex = await Assert.ThrowsAsync<RpcException>(() => gateway.GetOrderAsync(99).AsTask());
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public void Order_AsJson_CamelCaseWithStatusByName()
    {
        var order = new Order(1, "ada", [new OrderLine("tea-sencha", 2)], 15.00m, OrderStatus.Confirmed, null, "pay_1");

        string json = JsonSerializer.Serialize(order, ShopJsonContext.Default.Order);

        Assert.Equal("""{"id":1,"customer":"ada","lines":[{"sku":"tea-sencha","quantity":2}],"total":15.00,"status":"Confirmed","reason":null,"paymentId":"pay_1"}""", json);
    }

    private string Address(string service) => _shop.Host.Url(service).Authority;

    private static void Json(Fitten.Client.FittenChannelOptions options)
    {
        options.Codec = new JsonCodec(Options);
        options.Policy.Timeout = TimeSpan.FromSeconds(15);
    }
}
