using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Server;
using Fitten.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// Back serves <see cref="IHop"/>; Front serves it too, over Fitten RPC and HTTP/JSON, and relays to Back through a
/// generated client. Tests call Front and read what Back saw.
/// </summary>
internal sealed class HopServers : FrontAndBack
{
    private HopServers((Microsoft.AspNetCore.Builder.WebApplication, Microsoft.AspNetCore.Builder.WebApplication) apps)
        : base(apps)
    {
    }

    public static async Task<HopServers> StartAsync(
        Action<FittenServerOptions>? configureFront = null, Action<FittenServerOptions>? configureBack = null,
        Action<FittenChannelOptions>? configureFrontClient = null)
        => new(await StartAsync(
            back =>
            {
                back.Services.AddFitten(configureBack).AddService<IHop, Hop>();
                back.Services.AddSingleton(new Hop());
            },
            (front, backAddress) =>
            {
                front.Services.AddFitten(configureFront)
                    .AddService<IHop, Hop>()
                    .AddClient<IHop>(backAddress, o => configureFrontClient?.Invoke(o));
                front.Services.AddSingleton(sp => new Hop(sp.GetRequiredService<IHop>(), sp.GetRequiredKeyedService<FittenChannel>(IHopFitten.ServiceName)));
            }));
}
