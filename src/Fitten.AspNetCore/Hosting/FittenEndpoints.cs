using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// The Kestrel endpoints that serve Fitten RPC, a dedicated port (<c>UseFitten</c>) or a shared one
/// (<c>UseFittenAlongsideHttp</c>), so registration publishes those and not HTTP-only ports. Kestrel's address list
/// cannot tell them apart. The ListenOptions themselves are kept because Kestrel writes the bound endpoint back into
/// <see cref="ListenOptions.EndPoint"/> when it binds: port 0 becomes the real port, and [::] that fell back to IPv4
/// becomes 0.0.0.0.
/// </summary>
internal sealed class FittenEndpoints
{
    private readonly List<ListenOptions> _endpoints = [];

    public void Add(ListenOptions listenOptions)
    {
        lock (_endpoints)
        {
            if (!_endpoints.Contains(listenOptions))
            {
                _endpoints.Add(listenOptions);
            }
        }
    }

    /// <summary>
    /// The IP endpoints serving Fitten RPC, in the order they were configured; after Kestrel started, as bound. Unix
    /// sockets and named pipes are left out: no other machine can reach them.
    /// </summary>
    public IReadOnlyList<IPEndPoint> IPEndPoints()
    {
        lock (_endpoints)
        {
            var bound = new List<IPEndPoint>(_endpoints.Count);
            foreach (var endpoint in _endpoints)
            {
                if (endpoint.EndPoint is IPEndPoint ip && !bound.Contains(ip))
                {
                    bound.Add(ip);
                }
            }

            return bound;
        }
    }
}
