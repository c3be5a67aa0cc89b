namespace Fitten.Discovery;

/// <summary>Follows a service's instances as they change.</summary>
public interface IServiceWatcher
{
    /// <summary>
    /// Yields the current instances of <paramref name="service"/> at once, then a new snapshot after each change,
    /// until <paramref name="cancellationToken"/> is cancelled (the enumeration then ends without throwing).
    /// A slow reader skips intermediate snapshots and always gets the newest.
    /// </summary>
    IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default);
}
