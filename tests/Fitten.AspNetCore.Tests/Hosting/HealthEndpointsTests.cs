using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;

namespace Fitten.AspNetCore.Tests.Hosting;

public class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_And_Readyz_Answer200WhileRunning()
    {
        await using var server = await FittenTestServer.StartAsync(shared: true, mapHttp: app => app.MapFitten());
        using var http = new HttpClient { BaseAddress = server.Address };

        Assert.Equal("alive", await http.GetStringAsync("/healthz"));
        Assert.Equal("ready", await http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Readyz_TurnsUnavailableOnShutdown_WhileServerStillAcceptsDuringReadinessDelay()
    {
        var server = await FittenTestServer.StartAsync(
            o => o.ReadinessDrainDelay = TimeSpan.FromSeconds(2), shared: true, mapHttp: app => app.MapFitten());
        await using var channel = server.CreateChannel();
        using var http = new HttpClient { BaseAddress = server.Address };
        using var before = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var stopping = server.StopAsync();
        HttpResponseMessage? draining = null;
        for (int i = 0; i < 100 && draining is null; i++)
        {
            var response = await http.GetAsync("/readyz");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                await Task.Delay(10);
            }
            else
            {
                draining = response;
            }
        }

        Assert.NotNull(draining);
        using var alive = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Equal("draining", await draining.Content.ReadAsStringAsync());
        draining.Dispose();
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        // Still taking calls during the readiness delay: the instance leaves rotation before it stops listening.
        Assert.Equal([5], await channel.InvokeAsync(TestMethods.Echo, [5]));
        await stopping;
        await server.DisposeAsync();
    }
}
