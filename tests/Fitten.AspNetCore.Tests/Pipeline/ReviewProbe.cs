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
internal sealed class ProbeServers : FrontAndBack
{
    private ProbeServers((WebApplication Back, WebApplication Front) apps, ProbeHooks frontHooks)
        : base(apps)
    {
        FrontHooks = frontHooks;
        BackClient = Front.Services.GetRequiredService<IProbe>();
    }

    public ProbeHooks FrontHooks { get; }

    /// <summary>Front's generated client to Back.</summary>
    public IProbe BackClient { get; }

    public static async Task<ProbeServers> StartAsync(ClientInterceptor? frontClientInterceptor = null, Action<Fitten.AspNetCore.Server.FittenServerOptions>? configureFront = null)
    {
        var hooks = new ProbeHooks();
        var apps = await StartAsync(
            back =>
            {
                back.Services.AddFitten().AddService<IProbe, Probe>();
                back.Services.AddSingleton(new ProbeHooks());
                back.Services.AddSingleton<Probe>();
            },
            (front, backAddress) =>
            {
                front.Services.AddFitten(configureFront)
                    .AddService<IProbe, Probe>()
                    .AddClient<IProbe>(backAddress, o =>
                    {
                        if (frontClientInterceptor is not null)
                        {
                            o.Interceptors.Add(frontClientInterceptor);
                        }
                    });
                front.Services.AddSingleton(hooks);
                front.Services.AddSingleton<Probe>();
            });
        return new ProbeServers(apps, hooks);
    }
}
