using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Discovery;

internal sealed partial class ServiceRegistration
{
    private static partial class Log
    {
        [LoggerMessage(103, LogLevel.Information, "Fitten RPC listens on {Endpoint}, every interface; published as {Host}:{Port} for {Service} ({Source}).", EventName = "WildcardPublished")]
        public static partial void WildcardPublished(ILogger logger, string endpoint, string host, int port, string service, string source);

        [LoggerMessage(104, LogLevel.Warning, "Nothing registered for {Service}: no Kestrel endpoint serves Fitten RPC. Serve it with ListenOptions.UseFitten() or UseFittenAlongsideHttp(); HTTP-only endpoints are not published.", EventName = "NoRpcEndpoint")]
        public static partial void NoRpcEndpoint(ILogger logger, string service);
    }
}
