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
        listenOptions.Use(_ => server.OnConnectedAsync);
        return listenOptions;
    }

    /// <summary>
    /// This endpoint serves Fitten RPC and Kestrel's HTTP protocols on one port: a connection whose first byte is
    /// the Fitten preface's (0xF1, never the first byte of HTTP/1.x or of the HTTP/2 preface) goes to Fitten,
    /// any other to HTTP. Requires <c>services.AddFitten()</c>.
    /// </summary>
    public static ListenOptions UseFittenAlongsideHttp(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var server = listenOptions.ApplicationServices.GetRequiredService<FittenRpcServer>();
        listenOptions.Use(next => async connection =>
        {
            var input = connection.Transport.Input;
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            bool isFitten = !buffer.IsEmpty && buffer.FirstSpan[0] == FittenProtocol.MagicFirstByte;
            // Consume and examine nothing: whoever takes the connection reads these bytes again from the start.
            input.AdvanceTo(buffer.Start);
            if (isFitten)
            {
                await server.OnConnectedAsync(connection).ConfigureAwait(false);
            }
            else
            {
                await next(connection).ConfigureAwait(false);
            }
        });
        return listenOptions;
    }
}
