using System.Net;
using Microsoft.Extensions.Configuration;
using Shop.Hosting;

namespace Shop.Tests.Hosting;

/// <summary>Reading <see cref="ShopSettings"/> from the command line, as Program does.</summary>
public class ShopSettingsTests
{
    [Fact]
    public void From_NoArguments_AllServicesInProcessOnDefaultPorts()
    {
        var settings = Parse();

        Assert.Equal(["inventory", "payments", "orders", "gateway"], settings.Services.Select(s => s.Name));
        Assert.Equal(ShopRegistry.InProcess, settings.Registry);
        Assert.Equal(IPAddress.Loopback, settings.Address);
        Assert.Equal(5080, settings.Ports["gateway"]);
        Assert.Equal(5101, settings.Ports["orders"]);
    }

    [Fact]
    public void From_OneService_ConfigurationRegistryAndPortSwitch()
    {
        var settings = Parse("--service", "orders", "--port", "6101");

        Assert.Equal("orders", Assert.Single(settings.Services).Name);
        Assert.Equal(ShopRegistry.Config, settings.Registry);
        Assert.Equal(6101, settings.Ports["orders"]);
    }

    [Fact]
    public void From_SeveralServicesInAnyOrder_StartOrderAndPortsPerService()
    {
        var settings = Parse("--service", "gateway, inventory", "--Shop:Ports:inventory=7102");

        Assert.Equal(["inventory", "gateway"], settings.Services.Select(s => s.Name));
        Assert.Equal((7102, 5080), (settings.Ports["inventory"], settings.Ports["gateway"]));
    }

    [Fact]
    public void From_EtcdEndpoint_EtcdRegistry()
    {
        var settings = Parse("--service", "payments", "--etcd", "http://127.0.0.1:23790");

        Assert.Equal((ShopRegistry.Etcd, "http://127.0.0.1:23790"), (settings.Registry, settings.Etcd));
        Assert.Equal((ShopRegistry.Etcd, ShopSettings.DefaultEtcd), (Parse("--registry", "etcd").Registry, Parse("--registry", "etcd").Etcd));
    }

    [Theory]
    [InlineData("--service", "billing", "Unknown service 'billing'")]
    [InlineData("--registry", "zookeeper", "Shop:Registry 'zookeeper'")]
    [InlineData("--port", "70000", "Shop:Port '70000'")]
    [InlineData("--address", "localhost", "Shop:Address 'localhost'")]
    public void From_BadValue_FailsNamingIt(string key, string value, string expected)
    {
        string[] args = key == "--port" ? ["--service", "orders", key, value] : [key, value];

        var ex = Assert.ThrowsAny<Exception>(() => Parse(args));

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void From_InProcessRegistryWithSomeServices_Fails()
    {
        var ex = Assert.Throws<ArgumentException>(() => Parse("--service", "orders", "--registry", "inprocess"));

        Assert.Contains("only finds services in this process", ex.Message);
    }

    private static ShopSettings Parse(params string[] args)
        => ShopSettings.From(new ConfigurationBuilder().AddCommandLine(args, ShopSettings.SwitchMappings).Build());
}
