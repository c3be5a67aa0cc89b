using System.Net;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Tests.Discovery;

public class FittenDiscoveryBuilderExtensionsTests
{
    [Fact]
    public async Task AddServiceClient_ServiceRegisteredInSameProcess_FindsItWithNoConfiguration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten()
            .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("self"))
            .AddServiceRegistration(InstanceServer.Service, i => i with { Zone = "here" })
            .AddServiceClient(InstanceServer.Service);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        await using var app = builder.Build();
        await app.StartAsync();

        var client = app.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);
        string answer = await client.InvokeAsync(InstanceServer.Whoami, "", CallOptions.WithTimeout(TimeSpan.FromSeconds(10)));

        Assert.Equal("self", answer);
        var registry = app.Services.GetRequiredService<IServiceResolver>();
        Assert.Equal("here", Assert.Single((await registry.ResolveAsync(InstanceServer.Service)).Instances).Zone);

        await app.StopAsync();
        Assert.Empty((await registry.ResolveAsync(InstanceServer.Service)).Instances);
    }

    [Fact]
    public async Task AddServiceRegistration_SharedPort_RegistersOnlyTheRealAddress()
    {
        // A shared port adds a hidden h2c endpoint to the address list; it binds no socket and must not be published.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten()
            .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("self"))
            .AddServiceRegistration(InstanceServer.Service);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFittenAlongsideHttp()));
        await using var app = builder.Build();
        await app.StartAsync();

        var registry = app.Services.GetRequiredService<IServiceResolver>();
        var instance = Assert.Single((await registry.ResolveAsync(InstanceServer.Service)).Instances);

        Assert.Equal(("127.0.0.1", new Uri(app.Urls.First()).Port), (instance.Host, instance.Port));
        await app.StopAsync();
    }

    [Fact]
    public async Task AddConfigurationRegistry_EntryDoesNotParse_StartFails()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Fitten:Clients:s:Endpoints:0"] = "no port here";
        builder.Services.AddFitten().AddConfigurationRegistry();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        await using var app = builder.Build();

        await Assert.ThrowsAsync<FormatException>(() => app.StartAsync());
    }

    [Fact]
    public async Task AddServiceClient_InvalidOptions_StartFailsNamingTheKey()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddServiceClient("s", o => o.LoadBalancingPolicy = "Fastest");
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Fitten:Clients:s:LoadBalancingPolicy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown load-balancing policy 'Fastest'", ex.Message, StringComparison.Ordinal);
    }
}
