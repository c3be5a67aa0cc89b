using System.Net;
using Fitten.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Contracts;

/// <summary>A generated client that finds its service by name through the in-process registry.</summary>
public class ContractDiscoveryTests
{
    [Fact]
    public async Task AddClientWithoutAddress_FindsTheServiceInProcess_AndCallsIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten()
            .AddService<IGreeter, Greeter>()
            .AddServiceRegistration<IGreeter>()
            .AddClient<IGreeter>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        await using var app = builder.Build();
        await app.StartAsync();
        var greeter = app.Services.GetRequiredService<IGreeter>();

        var greeting = await greeter.GreetAsync("registry", 1).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("hello registry", greeting.Text);
        await app.StopAsync();
    }
}
