using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Discovery;

public sealed partial class ConfigurationRegistry
{
    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Warning, "{Section} did not parse after a configuration reload ({Error}); keeping its {Count} previous instances.", EventName = "ConfigurationReloadRejected")]
        public static partial void ReloadRejected(ILogger logger, Exception exception, string section, string error, int count);
    }
}
