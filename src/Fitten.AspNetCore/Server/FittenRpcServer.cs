using Fitten.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// Serves Fitten RPC connections handed over by Kestrel (a dedicated endpoint or the sniffer on a shared one).
/// One per application; holds the frozen method table.
/// </summary>
public sealed class FittenRpcServer
{
    private readonly Lazy<MethodTable> _methods;
    private readonly FittenServerOptions _options;
    private readonly ILogger _logger;

    internal FittenRpcServer(IEnumerable<ServerMethod> methods, IOptions<FittenServerOptions> options, ILoggerFactory loggerFactory)
    {
        // Built on first use, after every registration is in; then never changes, so lookups need no lock.
        _methods = new Lazy<MethodTable>(() => new MethodTable(methods));
        _options = options.Value;
        _logger = loggerFactory.CreateLogger("Fitten.Server");
    }

    /// <summary>The limits every Fitten connection of this server enforces (the shared port's sniffer times out by them too).</summary>
    internal FittenLimits Limits => _options.Limits;

    /// <summary>The "service/method" names this server answers.</summary>
    public IEnumerable<string> Methods => _methods.Value.Names;

    /// <summary>Serves one connection until it closes. Kestrel calls this for each Fitten connection.</summary>
    public Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ServerConnection(connection, _methods.Value, _options, _logger).RunAsync();
    }
}
