using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Http;

/// <summary>Log events of the HTTP/JSON front end (event ids 100–199; the RPC server's are below 100).</summary>
internal static partial class HttpJsonLog
{
    [LoggerMessage(100, LogLevel.Error, "Handler of {Method} threw (HTTP {Path}); the client gets 500.", EventName = "HttpHandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(101, LogLevel.Error, "{Method} cannot be served over HTTP/JSON: {Reason}", EventName = "HttpJsonMetadataMissing")]
    public static partial void JsonMetadataMissing(ILogger logger, string method, string reason);
}
