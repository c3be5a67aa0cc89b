using Microsoft.Extensions.Logging;

namespace Fitten.Client;

public sealed partial class ServiceChannel
{
    /// <summary>Logger category of service channels (under <c>Fitten.Discovery</c>, so one filter covers discovery).</summary>
    internal const string LogCategory = "Fitten.Discovery.ServiceChannel";

    private static partial class Log
    {
        [LoggerMessage(140, LogLevel.Debug, "{Service}: {Count} instances at revision {Revision} ({Added} added, {Removed} removed).", EventName = "InstancesChanged")]
        public static partial void InstancesChanged(ILogger logger, string service, int count, long revision, int added, int removed);

        [LoggerMessage(141, LogLevel.Warning, "Ejected instance {Address} of {Service} for {EjectionSeconds} s: {Cause} (ejection {Ejections} in a row).", EventName = "InstanceEjected")]
        public static partial void InstanceEjected(ILogger logger, string address, string service, double ejectionSeconds, string cause, int ejections);

        [LoggerMessage(142, LogLevel.Information, "Instance {Address} of {Service} is back in rotation: a call succeeded after its ejection ended.", EventName = "InstanceReturned")]
        public static partial void InstanceReturned(ILogger logger, string address, string service);

        [LoggerMessage(143, LogLevel.Warning, "Watching {Service} failed ({Error}); calls keep going to the {Count} last known instances; watching again in {DelaySeconds} s.", EventName = "RegistryUnreachable")]
        public static partial void RegistryUnreachable(ILogger logger, Exception exception, string service, string error, int count, double delaySeconds);

        [LoggerMessage(144, LogLevel.Debug, "Watching {Service} failed again ({Error}, {Failures} in a row); watching again in {DelaySeconds} s.", EventName = "RegistryStillUnreachable")]
        public static partial void RegistryStillUnreachable(ILogger logger, string service, string error, int failures, double delaySeconds);

        [LoggerMessage(145, LogLevel.Information, "Watching {Service} again after {Failures} failed attempts; {Count} instances.", EventName = "RegistryReachable")]
        public static partial void RegistryReachable(ILogger logger, string service, int failures, int count);

        [LoggerMessage(146, LogLevel.Warning, "Circuit breaker of instance {Address} of {Service} opened: {Reason}; calls go to other instances.", EventName = "InstanceCircuitOpened")]
        public static partial void InstanceCircuitOpened(ILogger logger, string address, string service, string reason);

        [LoggerMessage(147, LogLevel.Information, "Circuit breaker of instance {Address} of {Service} is {State}: {Reason}.", EventName = "InstanceCircuitMoved")]
        public static partial void InstanceCircuitMoved(ILogger logger, string address, string service, string state, string reason);
    }
}
