using System.Net;
using System.Net.Sockets;
using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Discovery;
using Fitten.Etcd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.Etcd.Tests;

public sealed class EtcdServiceCollectionExtensionsTests : IAsyncLifetime
{
    private static readonly CallOptions Call = CallOptions.WithTimeout(TimeSpan.FromSeconds(20));
    private EtcdServer _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync() => await _etcd.DisposeAsync();

    [Fact]
    public async Task AddEtcdRegistry_TwoApplications_FindEachOtherThroughEtcdAndDeregisterOnStop()
        => await TwoApplicationsFindEachOtherAsync(settings: null);

    [Fact]
    public async Task AddEtcdRegistryKind_KindEtcdInConfiguration_TwoApplicationsFindEachOtherWithTheConfiguredSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Fitten:Registry:Kind"] = "etcd",
            ["Fitten:Registry:Etcd:Endpoints:0"] = _etcd.Endpoint,
            ["Fitten:Registry:Etcd:Prefix"] = "/configured/",
            ["Fitten:Registry:Etcd:LeaseTtl"] = "00:00:05",
            ["Fitten:Registry:Etcd:RequestTimeout"] = "00:00:03",
            ["Fitten:Registry:Etcd:RetryDelay"] = "00:00:00.200",
        };

        var client = await TwoApplicationsFindEachOtherAsync(settings);

        var options = Assert.IsType<EtcdRegistry>(client.Services.GetRequiredService<IServiceWatcher>()).Options;
        Assert.Equal(("/configured/", 5, 3, 200), (options.Prefix, options.LeaseTtl.TotalSeconds, options.RequestTimeout.TotalSeconds, options.RetryDelay.TotalMilliseconds));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task AddEtcdRegistryKind_SeveralEndpointsTheFirstDead_UsesTheNextOne()
    {
        await using var app = await StartAsync(
            b => b
                .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("self"))
                .AddServiceRegistration(InstanceServer.Service)
                .AddServiceClient(InstanceServer.Service),
            new()
            {
                ["Fitten:Registry:Kind"] = "Etcd",
                ["Fitten:Registry:Etcd:Endpoints"] = $"http://127.0.0.1:{UnusedPort()}, {_etcd.Endpoint}",
            });

        var invoker = app.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);

        Assert.Equal("self", await invoker.InvokeAsync(InstanceServer.Whoami, "", Call));
        Assert.Single((await app.Services.GetRequiredService<IServiceResolver>().ResolveAsync(InstanceServer.Service)).Instances);
    }

    /// <summary>A server registered through etcd and a client (separate hosts, as two processes) find each other; returns the client.</summary>
    private async Task<WebApplication> TwoApplicationsFindEachOtherAsync(Dictionary<string, string?>? settings)
    {
        await using var server = await StartAsync(
            b => b
                .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("server"))
                .AddServiceRegistration(InstanceServer.Service),
            settings);
        var client = await StartAsync(b => b.AddServiceClient(InstanceServer.Service), settings);
        var invoker = client.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);

        Assert.Equal("server", await invoker.InvokeAsync(InstanceServer.Whoami, "", Call));
        Assert.IsType<EtcdRegistry>(client.Services.GetRequiredService<IServiceWatcher>());

        var resolver = client.Services.GetRequiredService<IServiceResolver>();
        await server.StopAsync();

        // The client's view follows its watch, a few milliseconds behind etcd: poll, for up to 10 s.
        for (int i = 0; i < 200 && !(await resolver.ResolveAsync(InstanceServer.Service)).Instances.IsEmpty; i++)
        {
            await Task.Delay(50);
        }

        Assert.Empty((await resolver.ResolveAsync(InstanceServer.Service)).Instances);
        return client;
    }

    /// <summary>
    /// A started host: with no <paramref name="settings"/>, on <c>AddEtcdRegistry</c> in code; with settings, on the
    /// registry they choose (<c>AddRegistryFromConfiguration</c> + <c>AddEtcdRegistryKind</c>).
    /// </summary>
    private async Task<WebApplication> StartAsync(Action<IFittenBuilder> configure, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var fitten = builder.Services.AddFitten();
        configure(fitten);
        if (settings is null)
        {
            builder.Services.AddEtcdRegistry(o => o.Endpoint = _etcd.Endpoint);
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(settings);
            fitten.AddRegistryFromConfiguration();
            builder.Services.AddEtcdRegistryKind();
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
