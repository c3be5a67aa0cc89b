using Fitten.AspNetCore.Server;
using Fitten.Protocol;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Serves Fitten RPC from Kestrel endpoints.</summary>
public static class FittenListenOptionsExtensions
{
    /// <summary>This endpoint speaks only Fitten RPC. Requires <c>services.AddFitten()</c>.</summary>
    public static ListenOptions UseFitten(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var server = listenOptions.ApplicationServices.GetRequiredService<FittenRpcServer>();
        listenOptions.ApplicationServices.GetRequiredService<FittenEndpoints>().Add(listenOptions);
        listenOptions.Use(_ => server.OnConnectedAsync);
        return listenOptions;
    }

    /// <summary>
    /// This endpoint serves Fitten RPC and Kestrel's HTTP protocols on one port, chosen by the first bytes: the
    /// Fitten preface (first byte 0xF1, never the first byte of HTTP/1.x or of the HTTP/2 preface) goes to Fitten,
    /// the HTTP/2 preface to HTTP/2 (h2c with prior knowledge) when the endpoint's protocols include HTTP/2, and
    /// anything else to HTTP/1.1. Requires <c>services.AddFitten()</c>.
    /// </summary>
    public static ListenOptions UseFittenAlongsideHttp(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var server = listenOptions.ApplicationServices.GetRequiredService<FittenRpcServer>();
        var handoff = listenOptions.ApplicationServices.GetRequiredService<Http2Handoff>();
        handoff.Request();
        listenOptions.ApplicationServices.GetRequiredService<FittenEndpoints>().Add(listenOptions);
        listenOptions.Use(next => connection => ProtocolSniffer.DispatchAsync(connection, listenOptions, server, handoff, next));
        return listenOptions;
    }
}
