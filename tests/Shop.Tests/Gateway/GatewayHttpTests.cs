using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>The same flows as users run them: HTTP/JSON against the gateway's routes, with a plain HttpClient.</summary>
public sealed class GatewayHttpTests : IAsyncLifetime
{
    private TestShop _shop = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _shop = await TestShop.StartAsync();
        _http = new HttpClient { BaseAddress = _shop.Host.Url("gateway"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task GetProducts_ListsTheCatalogueWithStock()
    {
        var products = await _http.GetFromJsonAsync("/products", ShopJsonContext.Default.IReadOnlyListProduct);

        Assert.Contains(new Product("tea-sencha", "Sencha green tea, 100 g", 7.50m, 25), products!);
    }

    [Fact]
    public async Task PostOrder_InStockAndCardAccepted_ConfirmedAsJson()
    {
        using var response = await PostOrderAsync("tea-sencha", 2, TestOrders.GoodCard);
        string json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Confirmed\"", json);
        Assert.Contains("\"total\":15.00", json);
        Assert.Equal(23, await _shop.Clients.InStockAsync("tea-sencha"));
        Assert.Single(await _shop.Clients.Payments.ListAsync());
    }

    [Fact]
    public async Task PostOrder_OutOfStock_FailedAndNothingCharged()
    {
        var order = await ReadOrderAsync(await PostOrderAsync("kettle-steel", 9, TestOrders.GoodCard));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Empty(await _shop.Clients.Payments.ListAsync());
        Assert.Equal(3, await _shop.Clients.InStockAsync("kettle-steel"));
    }

    [Fact]
    public async Task PostOrder_CardDeclined_FailedAndStockReleased()
    {
        var order = await ReadOrderAsync(await PostOrderAsync("mug-stone", 1, TestOrders.DeclinedCard));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Equal("Card declined.", order.Reason);
        Assert.Equal(10, await _shop.Clients.InStockAsync("mug-stone"));
    }

    [Fact]
    public async Task GetOrder_Placed_ReturnsIt_DeleteCancelsIt()
    {
        var placed = await ReadOrderAsync(await PostOrderAsync("mug-stone", 2, TestOrders.GoodCard));

        var read = await ReadOrderAsync(await _http.GetAsync(new Uri($"/orders/{placed.Id}", UriKind.Relative)));
        var cancelled = await ReadOrderAsync(await _http.DeleteAsync(new Uri($"/orders/{placed.Id}", UriKind.Relative)));

        Assert.Equal((placed.Id, OrderStatus.Confirmed), (read.Id, read.Status));
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(10, await _shop.Clients.InStockAsync("mug-stone"));
    }

    [Fact]
    public async Task GetOrder_Unknown_404()
    {
        using var response = await _http.GetAsync(new Uri("/orders/42", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No order 42.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostOrder_NoLines_400()
    {
        using var response = await _http.PostAsync(new Uri("/orders", UriKind.Relative), Json("""{"customer":"ada","lines":[],"cardNumber":"4242-4242-4242-4242"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DefaultRoute_ServiceAndMethodWithParametersObject_Works()
    {
        var placed = await ReadOrderAsync(await PostOrderAsync("tea-sencha", 1, TestOrders.GoodCard));

        var read = await ReadOrderAsync(await _http.PostAsync(new Uri("/shop.gateway/GetOrder", UriKind.Relative), Json($$"""{"id":{{placed.Id}}}""")));

        Assert.Equal(placed.Id, read.Id);
    }

    [Fact]
    public async Task OpenApi_DescribesTheGatewayRoutes()
    {
        string document = await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("/orders/{id}", document);
        Assert.Contains("/products", document);
    }

    private Task<HttpResponseMessage> PostOrderAsync(string sku, int quantity, string card)
        => _http.PostAsync(new Uri("/orders", UriKind.Relative), Json($$"""{"customer":"ada","lines":[{"sku":"{{sku}}","quantity":{{quantity}}}],"cardNumber":"{{card}}"}"""));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<Order> ReadOrderAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync(ShopJsonContext.Default.Order))!;
        }
    }
}
