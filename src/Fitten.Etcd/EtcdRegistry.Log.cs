using Microsoft.Extensions.Logging;

namespace Fitten.Etcd;

public sealed partial class EtcdRegistry
{
    /// <summary>Logger category of the etcd registry (under <c>Fitten.Discovery</c>, so one filter covers discovery).</summary>
    internal const string LogCategory = "Fitten.Discovery.Etcd";

    private static partial class Log
    {
        // Information: the outage itself is the one warning (EtcdUnreachable); this says which write waits for etcd.
        [LoggerMessage(120, LogLevel.Information, "{Operation} of {Address} ({Service}) is pending: etcd at {Endpoint} is unreachable ({Error}); it is written when etcd answers.", EventName = "RegistrationPending")]
        public static partial void RegistrationPending(ILogger logger, string operation, string address, string service, string endpoint, string error);

        [LoggerMessage(121, LogLevel.Information, "Granted lease {LeaseId:x} (TTL {LeaseTtlSeconds} s) on etcd at {Endpoint}.", EventName = "LeaseGranted")]
        public static partial void LeaseGranted(ILogger logger, long leaseId, double leaseTtlSeconds, string endpoint);

        [LoggerMessage(122, LogLevel.Warning, "Lease {LeaseId:x} is lost ({Reason}); granting a new one and writing the {Count} registered instances again.", EventName = "LeaseLost")]
        public static partial void LeaseLost(ILogger logger, long leaseId, string reason, int count);

        [LoggerMessage(123, LogLevel.Information, "Granted lease {LeaseId:x} in place of the lost one and wrote the {Count} registered instances again.", EventName = "LeaseRegranted")]
        public static partial void LeaseRegranted(ILogger logger, long leaseId, int count);

        // 124 (LeaseUnreachable) and 126 (WatchUnreachable) were one warning per loop; an outage is now one EtcdUnreachable.
        [LoggerMessage(125, LogLevel.Debug, "The lease keep-alive reached etcd at {Endpoint} again after {Failures} failed attempts: lease {LeaseId:x} is kept alive.", EventName = "LeaseResumed")]
        public static partial void LeaseResumed(ILogger logger, string endpoint, int failures, long leaseId);

        [LoggerMessage(127, LogLevel.Debug, "Watch of {Service} resumed on etcd at {Endpoint} after {Failures} failed attempts, from revision {Revision}.", EventName = "WatchResumed")]
        public static partial void WatchResumed(ILogger logger, string service, string endpoint, int failures, long revision);

        [LoggerMessage(128, LogLevel.Information, "Watch of {Service} reads all instances again: {Reason}.", EventName = "WatchReread")]
        public static partial void WatchReread(ILogger logger, string service, string reason);

        [LoggerMessage(129, LogLevel.Warning, "Watch of {Service} reads all instances again: etcd is at revision {EtcdRevision}, behind revision {Revision} this watch already saw, so it lost data.", EventName = "WatchRereadAfterDataLoss")]
        public static partial void WatchRereadAfterDataLoss(ILogger logger, string service, long etcdRevision, long revision);

        [LoggerMessage(130, LogLevel.Debug, "The {Loop} could not reach etcd at {Endpoint} ({Error}; {Failures} failures in a row); retrying in {DelaySeconds} s.", EventName = "AttemptFailed")]
        public static partial void AttemptFailed(ILogger logger, Exception exception, string loop, string endpoint, string error, int failures, double delaySeconds);

        [LoggerMessage(131, LogLevel.Debug, "Revoked lease {LeaseId:x}: its instances are gone from etcd.", EventName = "LeaseRevoked")]
        public static partial void LeaseRevoked(ILogger logger, long leaseId);

        [LoggerMessage(132, LogLevel.Information, "etcd at {Endpoint} took the pending writes: {Registered} registered instances written, {Deregistered} deregistered.", EventName = "PendingWritten")]
        public static partial void PendingWritten(ILogger logger, string endpoint, int registered, int deregistered);

        [LoggerMessage(133, LogLevel.Warning, "etcd at {Endpoint} is unreachable ({Error}): retrying in the background for {Registered} registered instances and {Watched} watched services, which keep their last known instances (each attempt at Debug).", EventName = "EtcdUnreachable")]
        public static partial void EtcdUnreachable(ILogger logger, string endpoint, string error, int registered, int watched);

        [LoggerMessage(134, LogLevel.Information, "etcd at {Endpoint} is reachable again after {OutageSeconds} s and {Failures} failed attempts.", EventName = "EtcdReachable")]
        public static partial void EtcdReachable(ILogger logger, string endpoint, double outageSeconds, int failures);

        [LoggerMessage(135, LogLevel.Debug, "The {Loop} lost its stream to etcd at {Endpoint} ({Error}); reconnecting in {DelaySeconds} s.", EventName = "StreamLost")]
        public static partial void StreamLost(ILogger logger, Exception exception, string loop, string endpoint, string error, double delaySeconds);
    }
}
