using Microsoft.Extensions.Logging;

namespace Fitten.Etcd;

public sealed partial class EtcdRegistry
{
    /// <summary>Logger category of the etcd registry (under <c>Fitten.Discovery</c>, so one filter covers discovery).</summary>
    internal const string LogCategory = "Fitten.Discovery.Etcd";

    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Warning, "{Operation} of {Address} ({Service}) is pending: etcd at {Endpoint} is unreachable ({Error}); retrying in the background.", EventName = "RegistrationPending")]
        public static partial void RegistrationPending(ILogger logger, Exception exception, string operation, string address, string service, string endpoint, string error);

        [LoggerMessage(121, LogLevel.Information, "Granted lease {LeaseId:x} (TTL {LeaseTtlSeconds} s) on etcd at {Endpoint}.", EventName = "LeaseGranted")]
        public static partial void LeaseGranted(ILogger logger, long leaseId, double leaseTtlSeconds, string endpoint);

        [LoggerMessage(122, LogLevel.Warning, "Lease {LeaseId:x} is lost ({Reason}); granting a new one and writing the {Count} registered instances again.", EventName = "LeaseLost")]
        public static partial void LeaseLost(ILogger logger, long leaseId, string reason, int count);

        [LoggerMessage(123, LogLevel.Information, "Granted lease {LeaseId:x} in place of the lost one and wrote the {Count} registered instances again.", EventName = "LeaseRegranted")]
        public static partial void LeaseRegranted(ILogger logger, long leaseId, int count);

        [LoggerMessage(124, LogLevel.Warning, "etcd at {Endpoint} is unreachable ({Error}): the lease of {Count} registered instances cannot be kept alive; retrying in {DelaySeconds} s.", EventName = "LeaseUnreachable")]
        public static partial void LeaseUnreachable(ILogger logger, Exception exception, string endpoint, string error, int count, double delaySeconds);

        [LoggerMessage(125, LogLevel.Information, "etcd at {Endpoint} is reachable again after {Failures} failed attempts: lease {LeaseId:x} is kept alive.", EventName = "LeaseResumed")]
        public static partial void LeaseResumed(ILogger logger, string endpoint, int failures, long leaseId);

        [LoggerMessage(126, LogLevel.Warning, "etcd at {Endpoint} is unreachable ({Error}) for the watch of {Service}: keeping its {Count} last known instances; retrying in {DelaySeconds} s.", EventName = "WatchUnreachable")]
        public static partial void WatchUnreachable(ILogger logger, Exception exception, string endpoint, string error, string service, int count, double delaySeconds);

        [LoggerMessage(127, LogLevel.Information, "Watch of {Service} resumed on etcd at {Endpoint} after {Failures} failed attempts, from revision {Revision}.", EventName = "WatchResumed")]
        public static partial void WatchResumed(ILogger logger, string service, string endpoint, int failures, long revision);

        [LoggerMessage(128, LogLevel.Information, "Watch of {Service} reads all instances again: {Reason}.", EventName = "WatchReread")]
        public static partial void WatchReread(ILogger logger, string service, string reason);

        [LoggerMessage(129, LogLevel.Warning, "Watch of {Service} reads all instances again: etcd is at revision {EtcdRevision}, behind revision {Revision} this watch already saw, so it lost data.", EventName = "WatchRereadAfterDataLoss")]
        public static partial void WatchRereadAfterDataLoss(ILogger logger, string service, long etcdRevision, long revision);

        [LoggerMessage(130, LogLevel.Debug, "etcd at {Endpoint} is still unreachable for the {Loop} ({Error}, {Failures} failures in a row); retrying in {DelaySeconds} s.", EventName = "StillUnreachable")]
        public static partial void StillUnreachable(ILogger logger, string endpoint, string loop, string error, int failures, double delaySeconds);

        [LoggerMessage(131, LogLevel.Debug, "Revoked lease {LeaseId:x}: its instances are gone from etcd.", EventName = "LeaseRevoked")]
        public static partial void LeaseRevoked(ILogger logger, long leaseId);

        [LoggerMessage(132, LogLevel.Information, "etcd at {Endpoint} took the pending writes: {Registered} registered instances written, {Deregistered} deregistered.", EventName = "PendingWritten")]
        public static partial void PendingWritten(ILogger logger, string endpoint, int registered, int deregistered);
    }
}
