using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Fitten.Pipeline;
using MemoryPack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>A contract whose main handler is whatever the test plugs into <see cref="ProbeHooks.Run"/>.</summary>
[FittenService("review.probe")]
public interface IProbe
{
    /// <summary>Runs the test's hook with <paramref name="step"/>.</summary>
    [HttpPost("/probe/run")]
    ValueTask<string> RunAsync(string step, CancellationToken cancellationToken = default);

    /// <summary>The chain header "tenant" of the call being served, as the handler sees it.</summary>
    [HttpPost("/probe/inspect")]
    ValueTask<string> InspectAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns a response its codec cannot encode.</summary>
    ValueTask<Unencodable> UnencodableAsync(CancellationToken cancellationToken = default);
}

/// <summary>A response MemoryPack refuses to encode.</summary>
[MemoryPackable]
public sealed partial class Unencodable
{
    public int Value { get; set; }

    [MemoryPackOnSerializing]
    private void OnSerializing() => throw new InvalidOperationException("this response cannot be encoded");
}

/// <summary>What the probe's handler does, set per test.</summary>
public sealed class ProbeHooks
{
    public Func<string, ValueTask<string>> Run { get; set; } = static step => ValueTask.FromResult(step);
}

public sealed class Probe(ProbeHooks hooks) : IProbe
{
    public ValueTask<string> RunAsync(string step, CancellationToken cancellationToken = default) => hooks.Run(step);

    public ValueTask<string> InspectAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Tenant(ServerCallContext.Current));

    public ValueTask<Unencodable> UnencodableAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(new Unencodable { Value = 1 });

    public static string Tenant(ServerCallContext? call)
        => call is null ? "<no call>" : call.RequestHeaders.GetValue("tenant", MetadataEntryKind.ChainHeader) ?? "<none>";
}

/// <summary>
/// Back serves <see cref="IProbe"/> over RPC; Front serves it over RPC and HTTP/JSON with <see cref="FrontHooks"/> and
/// holds a generated client to Back (<see cref="BackClient"/>) whose channel runs <c>frontClientInterceptor</c>.
/// </summary>
internal sealed class ProbeServers : IAsyncDisposable
{
    private ProbeServers(WebApplication back, WebApplication front, ProbeHooks frontHooks)
    {
        Back = back;
        Front = front;
        FrontHooks = frontHooks;
        var urls = front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        FrontRpc = new Uri(urls[0]);
        FrontHttp = new HttpClient { BaseAddress = new Uri(urls[1]) };
        BackClient = front.Services.GetRequiredService<IProbe>();
    }

    public WebApplication Back { get; }

    public WebApplication Front { get; }

    public ProbeHooks FrontHooks { get; }

    public Uri FrontRpc { get; }

    public HttpClient FrontHttp { get; }

    /// <summary>Front's generated client to Back.</summary>
    public IProbe BackClient { get; }

    public static async Task<ProbeServers> StartAsync(ClientInterceptor? frontClientInterceptor = null, Action<Fitten.AspNetCore.Server.FittenServerOptions>? configureFront = null)
    {
        var back = WebApplication.CreateSlimBuilder();
        back.Logging.ClearProviders();
        back.Services.AddFitten().AddService<IProbe, Probe>();
        back.Services.AddSingleton(new ProbeHooks());
        back.Services.AddSingleton<Probe>();
        back.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var backApp = back.Build();
        await backApp.StartAsync();

        var hooks = new ProbeHooks();
        var front = WebApplication.CreateSlimBuilder();
        front.Logging.ClearProviders();
        front.Services.AddFitten(configureFront)
            .AddService<IProbe, Probe>()
            .AddClient<IProbe>(backApp.Urls.First(), o =>
            {
                if (frontClientInterceptor is not null)
                {
                    o.Interceptors.Add(frontClientInterceptor);
                }
            });
        front.Services.AddSingleton(hooks);
        front.Services.AddSingleton<Probe>();
        front.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
            k.Listen(IPAddress.Loopback, 0);
        });
        var frontApp = front.Build();
        frontApp.MapFitten();
        await frontApp.StartAsync();
        return new ProbeServers(backApp, frontApp, hooks);
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
