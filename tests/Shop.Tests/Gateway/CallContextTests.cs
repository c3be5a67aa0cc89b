using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>
/// The call context through the whole shop: a deadline and a tag set on the HTTP request at the gateway reach
/// orders and then payments, two Fitten RPC hops further.
/// </summary>
public sealed class CallContextTests
{
    private static HttpRequestMessage PostOrder(string sku, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent($$"""{"customer":"ada","lines":[{"sku":"{{sku}}","quantity":1}],"cardNumber":"{{TestOrders.GoodCard}}"}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    [Fact]
    public async Task DeadlineRunsOutInPayments_GatewayAnswers504_EveryHopStopsAndStockIsReleased()
    {
        // Payments takes 30 s per charge; the request allows 3 s (enough for a cold shop to JIT and connect every hop on
        // a loaded machine: with 700 ms the deadline sometimes ran out before the order reached orders at all). Before
        // the call context, orders would have waited out its own timeout on payments and the gateway its own on orders.
        await using var shop = await TestShop.StartAsync(("Shop:Payments:ProcessingDelay", "00:00:30"));
        using var http = new HttpClient { BaseAddress = shop.Host.Url("gateway"), Timeout = TimeSpan.FromSeconds(30) };
        int before = await shop.Clients.InStockAsync("mug-stone");
        var watch = Stopwatch.StartNew();

        using var response = await http.SendAsync(PostOrder("mug-stone", ("fitten-timeout", "3s")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("DEADLINE_EXCEEDED", problem.GetProperty("code").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the gateway answered after {watch.Elapsed}");

        // Orders saw the deadline run out in payments, failed the order and released the stock on its own clock.
        var order = await WaitForAsync(async () => await shop.Clients.Orders.GetAsync(1), o => o.Status == OrderStatus.Failed);
        Assert.Contains("DeadlineExceeded", order.Reason);
        Assert.Equal(before, await WaitForAsync(() => shop.Clients.InStockAsync("mug-stone"), n => n == before));
        Assert.Empty(await shop.Clients.Payments.ListAsync());
    }

    [Fact]
    public async Task TagOnTheHttpRequest_IsSeenByPayments()
    {
        await using var shop = await TestShop.StartAsync();
        using var http = new HttpClient { BaseAddress = shop.Host.Url("gateway"), Timeout = TimeSpan.FromSeconds(30) };

        using var canary = await http.SendAsync(PostOrder("tea-sencha", ("fitten-tag", "lane=canary")));
        using var main = await http.SendAsync(PostOrder("tea-sencha"));

        Assert.Equal(HttpStatusCode.OK, canary.StatusCode);
        Assert.Equal(HttpStatusCode.OK, main.StatusCode);
        var payments = await shop.Clients.Payments.ListAsync();
        Assert.Equal(["canary", null], payments.OrderBy(p => p.OrderId).Select(p => p.Lane));
    }

    /// <summary>Reads until <paramref name="done"/> holds, for at most 10 s (compensation may finish after the 504).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
