using Fitten.AspNetCore.Discovery;
using Fitten.AspNetCore.Hosting;
using Fitten.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.Etcd.Tests;

/// <summary>The etcd kind's settings, checked at start-up; none of these reach an etcd.</summary>
public sealed class EtcdRegistryConfigurationTests
{
    private const string Endpoint = "http://127.0.0.1:2379";

    [Theory]
    [InlineData(null, null, "Fitten:Registry:Etcd:Endpoints is required when the registry kind is 'etcd'")]
    [InlineData("Endpoints:0", "127.0.0.1:2379", "Fitten:Registry:Etcd:Endpoints is '127.0.0.1:2379': Endpoint '127.0.0.1:2379' must be an absolute http:// or https:// URL.")]
    [InlineData("Endpoints", "http://a:2379,https://b:2379", "Fitten:Registry:Etcd:Endpoints is 'http://a:2379,https://b:2379'")]
    [InlineData("LeaseTtl", "00:00:01", "Fitten:Registry:Etcd:LeaseTtl is '00:00:01': LeaseTtl must be between 2 s and 1 h.")]
    [InlineData("LeaseTtl", "10s", "Fitten:Registry:Etcd:LeaseTtl is '10s', not a time span")]
    [InlineData("RetryDelay", "00:01:00", "Fitten:Registry:Etcd:RetryDelay is '00:01:00': RetryDelay must be positive and at most 5 s.")]
    [InlineData("Prefix", "fitten", "Fitten:Registry:Etcd:Prefix is 'fitten': Prefix must end with '/'.")]
    [InlineData("Endpoint", Endpoint, "Fitten:Registry:Etcd:Endpoint is not an etcd registry setting")]
    public async Task Start_KindEtcdWithBadSetting_FailsNamingTheKey(string? key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Fitten:Registry:Kind"] = "etcd" };
        if (key is not "Endpoints" and not "Endpoints:0" and not "Endpoint" and not null)
        {
            settings["Fitten:Registry:Etcd:Endpoints:0"] = Endpoint;
        }

        if (key is not null)
        {
            settings["Fitten:Registry:Etcd:" + key] = value;
        }

        await using var app = Build(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OtherKind_EtcdSettingsNotChecked()
    {
        await using var app = Build(new()
        {
            ["Fitten:Registry:Kind"] = "inprocess",
            ["Fitten:Registry:Etcd:LeaseTtl"] = "forever",
        });

        await app.StartAsync();

        Assert.IsType<InProcessRegistry>(app.Services.GetRequiredService<IServiceWatcher>());
        await app.StopAsync();
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFitten().AddRegistryFromConfiguration();
        builder.Services.AddEtcdRegistryKind();
        return builder.Build();
    }
}
