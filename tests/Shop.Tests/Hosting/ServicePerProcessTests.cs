using Shop.Contracts;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Hosting;

/// <summary>
/// The sample as it runs in production shape: four processes (<c>--service NAME</c>), each finding the others at
/// endpoints given on its command line, stopped by SIGTERM. Slow-ish (four process starts), so one test covers it.
/// </summary>
public class ServicePerProcessTests
{
    [Fact]
    public async Task FourProcesses_EndpointsOnTheCommandLine_PlaceOrdersAndStopCleanly()
    {
        // Ports chosen up front so all four start at once: clients resolve configured endpoints at call time.
        var ports = new[] { "inventory", "payments", "orders", "gateway" }.ToDictionary(s => s, _ => FreePort.Get());
        string[] endpoints =
        [
            $"--Fitten:Clients:shop.inventory:Endpoints:0=127.0.0.1:{ports["inventory"]}",
            $"--Fitten:Clients:shop.payments:Endpoints:0=127.0.0.1:{ports["payments"]}",
            $"--Fitten:Clients:shop.orders:Endpoints:0=127.0.0.1:{ports["orders"]}",
        ];
        var processes = await ShopProcess.StartAllAsync([.. ports.Select(p => (p.Key, (string[])["--port", $"{p.Value}", .. endpoints]))]);
        var address = processes.ToDictionary(p => p.Service, p => p.Address);
        try
        {
            await using (var clients = new TestClients(new Dictionary<string, string> { ["gateway"] = address["gateway"], ["payments"] = address["payments"] }))
            {
                var confirmed = await clients.Gateway.PlaceOrderAsync(TestOrders.Of("tea-sencha", 4));
                var declined = await clients.Gateway.PlaceOrderAsync(TestOrders.Of("tea-sencha", 1, TestOrders.DeclinedCard));

                Assert.Equal((OrderStatus.Confirmed, 30.00m), (confirmed.Status, confirmed.Total));
                Assert.Equal(OrderStatus.Failed, declined.Status);
                Assert.Equal(21, (await clients.Gateway.ListProductsAsync()).Single(p => p.Sku == "tea-sencha").InStock);
                Assert.Equal(confirmed.Id, Assert.Single(await clients.Payments.ListAsync()).OrderId);
            }

            // Front to back (the reverse of start order), as ShopHost does in one process; each exits 0 on SIGTERM.
            foreach (var process in processes.Reverse())
            {
                await process.DisposeAsync();
                Assert.True(process.ExitCode == 0, process.Output);
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
