using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fitten.Discovery;

/// <summary>
/// Holds the current snapshot of each service and fans changes out to watchers. Registries that keep their
/// instances in memory (in-process, configuration, etcd's local cache) build on it.
/// </summary>
internal sealed class InstanceSetStore : IServiceResolver, IServiceWatcher
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _services = new(StringComparer.Ordinal);
    private long _revision;

    public ValueTask<ServiceInstanceSet> ResolveAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return ValueTask.FromResult(Get(service));
    }

    public IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return WatchCoreAsync(service, cancellationToken);
    }

    public ServiceInstanceSet Get(string service)
    {
        lock (_lock)
        {
            return _services.TryGetValue(service, out var entry) ? entry.Current : ServiceInstanceSet.Empty(service);
        }
    }

    /// <summary>Names of the services that have (or had) instances.</summary>
    public IReadOnlyList<string> Services()
    {
        lock (_lock)
        {
            return [.. _services.Keys];
        }
    }

    /// <summary>Applies <paramref name="change"/> to the service's instances and publishes the result if it differs.</summary>
    public void Update(string service, Func<ImmutableArray<ServiceInstance>, ImmutableArray<ServiceInstance>> change)
    {
        lock (_lock)
        {
            var entry = GetOrAddLocked(service);
            var instances = change(entry.Current.Instances);
            if (instances.AsSpan().SequenceEqual(entry.Current.Instances.AsSpan()))
            {
                return;
            }

            entry.Current = new ServiceInstanceSet(service, instances, ++_revision);
            foreach (var watcher in entry.Watchers)
            {
                // Capacity 1, drop oldest: a slow watcher only ever misses snapshots that a newer one replaces.
                watcher.Writer.TryWrite(entry.Current);
            }
        }
    }

    public void Replace(string service, ImmutableArray<ServiceInstance> instances) => Update(service, _ => instances);

    private async IAsyncEnumerable<ServiceInstanceSet> WatchCoreAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ServiceInstanceSet>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            var entry = GetOrAddLocked(service);
            entry.Watchers.Add(channel);
            channel.Writer.TryWrite(entry.Current);
        }

        try
        {
            while (true)
            {
                ServiceInstanceSet next;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    if (!channel.Reader.TryRead(out next!))
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            lock (_lock)
            {
                _services[service].Watchers.Remove(channel);
            }
        }
    }

    private Entry GetOrAddLocked(string service)
    {
        if (!_services.TryGetValue(service, out var entry))
        {
            entry = new Entry(ServiceInstanceSet.Empty(service));
            _services.Add(service, entry);
        }

        return entry;
    }

    private sealed class Entry(ServiceInstanceSet current)
    {
        public ServiceInstanceSet Current { get; set; } = current;

        public List<Channel<ServiceInstanceSet>> Watchers { get; } = [];
    }
}
