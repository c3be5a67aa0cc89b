using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// Two real servers on loopback: <see cref="Back"/> serves Fitten RPC; <see cref="Front"/> serves Fitten RPC and
/// HTTP/JSON and calls Back. The contracts and wiring are the subclass's; the hosts, ports and clean-up are here.
/// </summary>
internal abstract class FrontAndBack : IAsyncDisposable
{
    protected FrontAndBack((WebApplication Back, WebApplication Front) apps)
    {
        (Back, Front) = apps;
        var urls = Front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        FrontRpc = new Uri(urls[0]);
        FrontHttp = new HttpClient { BaseAddress = new Uri(urls[1]) };
    }

    public WebApplication Back { get; }

    public WebApplication Front { get; }

    public Uri FrontRpc { get; }

    public HttpClient FrontHttp { get; }

    /// <summary>
    /// Starts Back (RPC only), then Front (RPC first, HTTP second, <c>MapFitten</c>), each configured by the caller;
    /// Front's configuration gets Back's address.
    /// </summary>
    protected static async Task<(WebApplication Back, WebApplication Front)> StartAsync(Action<WebApplicationBuilder> back, Action<WebApplicationBuilder, string> front)
    {
        var backBuilder = WebApplication.CreateSlimBuilder();
        backBuilder.Logging.ClearProviders();
        back(backBuilder);
        backBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var backApp = backBuilder.Build();
        await backApp.StartAsync();

        var frontBuilder = WebApplication.CreateSlimBuilder();
        frontBuilder.Logging.ClearProviders();
        front(frontBuilder, backApp.Urls.First());
        frontBuilder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
            k.Listen(IPAddress.Loopback, 0);
        });
        var frontApp = frontBuilder.Build();
        frontApp.MapFitten();
        await frontApp.StartAsync();
        return (backApp, frontApp);
    }

    /// <summary>A channel to Front's RPC port; dispose it.</summary>
    public FittenChannel FrontChannel(Action<FittenChannelOptions>? configure = null)
    {
        var options = new FittenChannelOptions();
        configure?.Invoke(options);
        return FittenChannel.ForAddress($"{FrontRpc.Host}:{FrontRpc.Port}", options);
    }

    public async ValueTask DisposeAsync()
    {
        FrontHttp.Dispose();
        await Front.StopAsync();
        await Front.DisposeAsync();
        await Back.StopAsync();
        await Back.DisposeAsync();
    }
}
