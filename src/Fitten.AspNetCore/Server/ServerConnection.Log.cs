using Fitten.Protocol;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    /// <summary>Log events of the RPC server: event ids 1–99 (the ranges are listed in docs/telemetry.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId}: not a Fitten preface ({Bytes}); closing.", EventName = "BadPreface")]
        public static partial void BadPreface(ILogger logger, string connectionId, string bytes);

        [LoggerMessage(2, LogLevel.Information, "Connection {ConnectionId}: closing with {Code}: {Reason}.", EventName = "ConnectionAborted")]
        public static partial void ConnectionAborted(ILogger logger, string connectionId, GoAwayCode code, string reason);

        [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId}: draining after stream {LastStreamId} ({Reason}).", EventName = "Draining")]
        public static partial void Draining(ILogger logger, string connectionId, uint lastStreamId, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Connection {ConnectionId}: {Calls} calls still running after the drain timeout of {DrainTimeout}; closing.", EventName = "DrainTimedOut")]
        public static partial void DrainTimedOut(ILogger logger, string connectionId, int calls, TimeSpan drainTimeout);
    }
}
