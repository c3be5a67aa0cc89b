using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Server;
using Fitten.Client;
using Fitten.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// Two real servers on loopback: <see cref="Back"/> serves <see cref="IHop"/>; <see cref="Front"/> serves it too, over
/// Fitten RPC and HTTP/JSON, and relays to Back through a generated client. Tests call Front and read what Back saw.
/// </summary>
internal sealed class HopServers : IAsyncDisposable
{
    private HopServers(WebApplication back, WebApplication front)
    {
        Back = back;
        Front = front;
        var urls = front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        FrontRpc = new Uri(urls[0]);
        FrontHttp = new HttpClient { BaseAddress = new Uri(urls[1]) };
    }

    public WebApplication Back { get; }

    public WebApplication Front { get; }

    public Uri FrontRpc { get; }

    public HttpClient FrontHttp { get; }

    public static async Task<HopServers> StartAsync(
        Action<FittenServerOptions>? configureFront = null, Action<FittenServerOptions>? configureBack = null,
        Action<FittenChannelOptions>? configureFrontClient = null)
    {
        var back = WebApplication.CreateSlimBuilder();
        back.Logging.ClearProviders();
        back.Services.AddFitten(configureBack).AddService<IHop, Hop>();
        back.Services.AddSingleton(new Hop());
        back.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var backApp = back.Build();
        await backApp.StartAsync();

        var front = WebApplication.CreateSlimBuilder();
        front.Logging.ClearProviders();
        front.Services.AddFitten(configureFront)
            .AddService<IHop, Hop>()
            .AddClient<IHop>(backApp.Urls.First(), o => configureFrontClient?.Invoke(o));
        front.Services.AddSingleton(sp => new Hop(sp.GetRequiredService<IHop>(), sp.GetRequiredKeyedService<FittenChannel>(IHopFitten.ServiceName)));
        front.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
            k.Listen(IPAddress.Loopback, 0);
        });
        var frontApp = front.Build();
        frontApp.MapFitten();
        await frontApp.StartAsync();
        return new HopServers(backApp, frontApp);
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
