using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Http;

/// <summary>Log events of the HTTP/JSON front end: event ids 200–299 (the ranges are listed in docs/telemetry.md).</summary>
internal static partial class HttpJsonLog
{
    [LoggerMessage(200, LogLevel.Error, "Handler of {Method} threw (HTTP {Path}); the client gets 500.", EventName = "HttpHandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(201, LogLevel.Error, "{Method} cannot be served over HTTP/JSON: {Reason}", EventName = "HttpJsonMetadataMissing")]
    public static partial void JsonMetadataMissing(ILogger logger, string method, string reason);
}
