using System.Net;

namespace Fitten.Bench.Rpc;

/// <summary>What an <see cref="RpcTarget"/> calls: a Fitten RPC endpoint, a method, and the request message.</summary>
public sealed class RpcTargetOptions
{
    /// <summary>The server's Fitten RPC endpoint (a dedicated or shared Kestrel port).</summary>
    public required EndPoint EndPoint { get; init; }

    /// <summary>The service, e.g. "shop.orders".</summary>
    public required string Service { get; init; }

    /// <summary>The method, e.g. "Get".</summary>
    public required string Method { get; init; }

    /// <summary>
    /// The request message exactly as it goes on the wire (for example JSON for a method whose codec is JSON, or
    /// raw bytes for a bytes method). Default: empty.
    /// </summary>
    public ReadOnlyMemory<byte> Request { get; init; }

    /// <summary>
    /// Multiplexed connections the workers share. Default: 1, as Fitten clients use; many workers on one connection
    /// is how a Fitten service is called in production.
    /// </summary>
    public int Connections { get; init; } = 1;
}
