using System.Net;
using Fitten.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Fitten.AspNetCore.Discovery;
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

    [Fact]
    public async Task AddClientWithConfigurationRegistry_EndpointsFromConfiguration_CallsTheServer()
    {
        var serverBuilder = WebApplication.CreateSlimBuilder();
        serverBuilder.Logging.ClearProviders();
        serverBuilder.Services.AddFitten().AddService<IGreeter, Greeter>();
        serverBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        await using var server = serverBuilder.Build();
        await server.StartAsync();

        var clientBuilder = WebApplication.CreateSlimBuilder();
        clientBuilder.Configuration["Fitten:Clients:test.greeter:Endpoints:0"] = new Uri(server.Urls.First()).Authority;
        clientBuilder.Services.AddFitten().AddConfigurationRegistry().AddClient<IGreeter>();
        await using var client = clientBuilder.Build();
        var greeter = client.Services.GetRequiredService<IGreeter>();

        var greeting = await greeter.GreetAsync("config", 1).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("hello config", greeting.Text);
        await server.StopAsync();
    }
}
