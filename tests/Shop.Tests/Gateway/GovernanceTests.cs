using System.Net;
using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>
/// The Shop's client policies from its appsettings.json, acting: with inventory stopped, the gateway's product list
/// first fails (the retries find no instance), then inventory's circuit breaker opens and the fallback answers with
/// the last list the gateway saw; the shop window stays up. The charge's policy says it is never retried after it
/// may have run.
/// </summary>
public sealed class GovernanceTests
{
    [Fact]
    public async Task InventoryStopped_BreakerOpens_GatewayAnswersTheLastKnownProducts()
    {
        await using var shop = await TestShop.StartAsync();
        using var http = new HttpClient { BaseAddress = shop.Host.Url("gateway"), Timeout = TimeSpan.FromSeconds(30) };
        string live = await http.GetStringAsync("/products");

        await shop.Host.StopServiceAsync("inventory");

        // Each failed request spends three attempts on the breaker's window of 5: by the second request it is open.
        var statuses = new List<HttpStatusCode>();
        string? answered = null;
        for (int i = 0; i < 10 && answered is null; i++)
        {
            using var response = await http.GetAsync("/products");
            statuses.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                answered = await response.Content.ReadAsStringAsync();
            }
        }

        Assert.True(answered is not null, $"no fallback answer; statuses: {string.Join(", ", statuses)}");
        Assert.Equal(live, answered);
        Assert.InRange(statuses.Count, 2, 3);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
    }

    [Fact]
    public void Policies_FromAppSettings_AsTheReadmeSays()
    {
        var gateway = new Fitten.Resilience.ClientPolicyOptions();
        var payments = new Fitten.Resilience.ClientPolicyOptions();
        var configuration = TestShop.Configuration();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("Fitten:Clients:shop.inventory"), gateway);
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("Fitten:Clients:shop.payments"), payments);

        var list = gateway.Describe(Fitten.FittenContracts.Get<IInventoryService>()).Single(p => p.Method == "shop.inventory/ListProducts");
        var charge = payments.Describe(Fitten.FittenContracts.Get<IPaymentService>()).Single(p => p.Method == "shop.payments/Charge");

        Assert.Equal(TimeSpan.FromMilliseconds(500), list.AttemptTimeout);
        Assert.Equal(5, list.CircuitBreaker!.MinimumThroughput);
        Assert.False(charge.Idempotent); // [Idempotent] on the contract, overridden by the client's configuration
        Assert.Contains("not idempotent: only calls never processed", charge.ToString(), StringComparison.Ordinal);
    }
}
