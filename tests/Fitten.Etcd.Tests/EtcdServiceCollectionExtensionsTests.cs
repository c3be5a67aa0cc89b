using System.Net;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.Etcd.Tests;

public sealed class EtcdServiceCollectionExtensionsTests : IAsyncLifetime
{
    private EtcdServer _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

    [Fact]
    public async Task AddEtcdRegistry_TwoApplications_FindEachOtherThroughEtcdAndDeregisterOnStop()
    {
        // Two hosts with separate containers and registries, as two processes would have.
        await using var server = await StartAsync(b => b
            .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("server"))
            .AddServiceRegistration(InstanceServer.Service));
        await using var client = await StartAsync(b => b.AddServiceClient(InstanceServer.Service));
        var invoker = client.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);

        Assert.Equal("server", await invoker.InvokeAsync(InstanceServer.Whoami, "", CallOptions.WithTimeout(TimeSpan.FromSeconds(20))));
        Assert.IsType<EtcdRegistry>(client.Services.GetRequiredService<IServiceWatcher>());

        var resolver = client.Services.GetRequiredService<IServiceResolver>();
        await server.StopAsync();

        // The client's view follows its watch, a few milliseconds behind etcd: poll, for up to 10 s.
        for (int i = 0; i < 200 && !(await resolver.ResolveAsync(InstanceServer.Service)).Instances.IsEmpty; i++)
        {
            await Task.Delay(50);
        }

        Assert.Empty((await resolver.ResolveAsync(InstanceServer.Service)).Instances);
    }

    private async Task<WebApplication> StartAsync(Action<IFittenBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configure(builder.Services.AddFitten());
        builder.Services.AddEtcdRegistry(o => o.Endpoint = _etcd.Endpoint);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }
}
