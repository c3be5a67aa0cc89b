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

/// <summary>Choosing the registry with <c>Fitten:Registry:Kind</c> (the etcd kind is tested in Fitten.Etcd.Tests).</summary>
public sealed class RegistryFromConfigurationTests
{
    private static readonly CallOptions Call = CallOptions.WithTimeout(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(null)]
    [InlineData("inprocess")]
    [InlineData(" InProcess ")]
    public async Task AddRegistryFromConfiguration_InProcessOrUnset_ServerAndClientFindEachOtherAndRegistrationsAreLogged(string? kind)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = Build(kind is null ? [] : new() { ["Fitten:Registry:Kind"] = kind }, logs, b => b
            .AddUnaryMethod(InstanceServer.Whoami, (_, _) => ValueTask.FromResult("self"))
            .AddServiceRegistration(InstanceServer.Service)
            .AddServiceClient(InstanceServer.Service));
        await app.StartAsync();

        var client = app.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);
        Assert.Equal("self", await client.InvokeAsync(InstanceServer.Whoami, "", Call));
        Assert.IsType<InProcessRegistry>(app.Services.GetRequiredService<IServiceWatcher>());
        var chosen = await logs.WaitForAsync(102);
        Assert.Contains("Fitten:Registry:Kind is 'inprocess'", chosen.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InProcessRegistry), chosen.Message, StringComparison.Ordinal);
        var registered = await logs.WaitForAsync(100);
        Assert.Equal(LogLevel.Information, registered.Level);
        Assert.Contains(InstanceServer.Service, registered.Message, StringComparison.Ordinal);

        await app.StopAsync();
        Assert.Contains("127.0.0.1:", (await logs.WaitForAsync(101)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRegistryFromConfiguration_Configuration_ClientsCallTheListedEndpoints()
    {
        await using var server = await InstanceServer.StartAsync();
        await using var app = Build(new()
        {
            ["Fitten:Registry:Kind"] = "configuration",
            [$"Fitten:Clients:{InstanceServer.Service}:Endpoints:0"] = $"127.0.0.1:{server.Port}",
        }, configure: b => b.AddServiceClient(InstanceServer.Service), registryLast: true);
        await app.StartAsync();

        var client = app.Services.GetRequiredKeyedService<ICallInvoker>(InstanceServer.Service);

        Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), await client.InvokeAsync(InstanceServer.Whoami, "", Call));
        Assert.IsType<ConfigurationRegistry>(app.Services.GetRequiredService<IServiceWatcher>());

        // Configuration lists other services; this process's own registrations stay in-process.
        Assert.IsType<InProcessRegistry>(app.Services.GetRequiredService<IServiceRegistrar>());
    }

    [Fact]
    public async Task AddRegistryFromConfiguration_ConfigurationKindWithBadEntry_StartFails()
    {
        await using var app = Build(new()
        {
            ["Fitten:Registry:Kind"] = "configuration",
            ["Fitten:Clients:s:Endpoints:0"] = "no port here",
        });

        await Assert.ThrowsAsync<FormatException>(() => app.StartAsync());
    }

    [Theory]
    [InlineData("zookeeper", "unknown registry kind 'zookeeper'")]
    [InlineData("etcd", "AddEtcdRegistryKind()")]
    public async Task AddRegistryFromConfiguration_KindNotAvailable_StartFailsNamingTheKey(string kind, string expected)
    {
        await using var app = Build(new() { ["Fitten:Registry:Kind"] = kind });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Fitten:Registry:Kind", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRegistryFromConfiguration_OtherSection_ReadsAndNamesIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Discovery:Kind"] = "consul";
        builder.Services.AddFitten().AddRegistryFromConfiguration("Discovery");
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Discovery:Kind", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A host reading <paramref name="settings"/>, with the registry chosen from configuration before the rest of
    /// <paramref name="configure"/>'s registrations, or after them when <paramref name="registryLast"/>: either order works.
    /// </summary>
    private static WebApplication Build(
        Dictionary<string, string?> settings, CapturingLoggerProvider? logs = null, Action<IFittenBuilder>? configure = null, bool registryLast = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        var fitten = builder.Services.AddFitten();
        if (!registryLast)
        {
            fitten.AddRegistryFromConfiguration();
        }

        configure?.Invoke(fitten);
        if (registryLast)
        {
            fitten.AddRegistryFromConfiguration();
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        return builder.Build();
    }
}
