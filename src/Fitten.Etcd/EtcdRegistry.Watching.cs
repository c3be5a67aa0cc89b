using System.Runtime.CompilerServices;
using Etcdserverpb;
using Fitten.Discovery;
using Mvccpb;

namespace Fitten.Etcd;

public sealed partial class EtcdRegistry
{
    private readonly Watch.WatchClient _watches;
    private readonly InstanceSetStore _store = new();
    private readonly Dictionary<string, Task> _pumps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _loaded = new(StringComparer.Ordinal);

    /// <summary>The service's instances: from the local copy a watch keeps, else read from etcd.</summary>
    public async ValueTask<ServiceInstanceSet> ResolveAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        lock (_pumps)
        {
            if (_loaded.TryGetValue(service, out var loaded) && loaded.Task.IsCompleted)
            {
                return _store.Get(service);
            }
        }

        var (set, _) = await ReadAsync(service, cancellationToken).ConfigureAwait(false);
        return set;
    }

    /// <summary>
    /// Yields the service's instances once they have been read from etcd, then after each change. One watch per
    /// service is shared by all watchers of this registry and lives until it is disposed.
    /// </summary>
    public IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        TaskCompletionSource loaded;
        lock (_pumps)
        {
            if (!_loaded.TryGetValue(service, out loaded!))
            {
                loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _loaded.Add(service, loaded);
                _pumps.Add(service, PumpAsync(service, loaded));
            }
        }

        return WatchLoadedAsync(service, loaded.Task, cancellationToken);
    }

    private async IAsyncEnumerable<ServiceInstanceSet> WatchLoadedAsync(string service, Task loaded, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // An empty set before the first read would tell clients the service has no instances.
        bool ready;
        try
        {
            await loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
            ready = true;
        }
        catch (OperationCanceledException)
        {
            ready = false;
        }

        if (!ready)
        {
            yield break;
        }

        await foreach (var set in _store.WatchAsync(service, cancellationToken).ConfigureAwait(false))
        {
            yield return set;
        }
    }

    private async Task<(ServiceInstanceSet Set, long Revision)> ReadAsync(string service, CancellationToken cancellationToken)
    {
        string prefix = ServicePrefix(service);
        var response = await _client.GetAsync(new RangeRequest { Key = Bytes(prefix), RangeEnd = RangeEnd(prefix) }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = new SortedDictionary<string, ServiceInstance>(StringComparer.Ordinal);
        foreach (var kv in response.Kvs)
        {
            Apply(current, service, prefix, kv, isDelete: false);
        }

        return (new ServiceInstanceSet(service, [.. current.Values], response.Header.Revision), response.Header.Revision);
    }

    /// <summary>
    /// Follows one service: a full read, then a watch from the revision after it. After a disconnection the watch
    /// resumes from the last revision applied, so nothing is missed; if etcd compacted that revision away it reads
    /// everything again. While etcd is unreachable the last instances stay published.
    /// </summary>
    private Task PumpAsync(string service, TaskCompletionSource loaded)
    {
        string prefix = ServicePrefix(service);
        var current = new SortedDictionary<string, ServiceInstance>(StringComparer.Ordinal);
        long revision = 0;
        bool reread = true;
        return RetryUntilDisposedAsync(
            "watch of " + service,
            async (progress, token) =>
            {
                if (reread)
                {
                    var (set, readRevision) = await ReadAsync(service, token).ConfigureAwait(false);
                    current.Clear();
                    foreach (var instance in set.Instances)
                    {
                        current[instance.Address] = instance;
                    }

                    revision = readRevision;
                    reread = false;
                    _store.Replace(service, [.. current.Values]);
                    loaded.TrySetResult();
                }

                using var call = _watches.Watch(cancellationToken: token);
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest { Key = Bytes(prefix), RangeEnd = RangeEnd(prefix), StartRevision = revision + 1, ProgressNotify = true },
                }, token).ConfigureAwait(false);
                while (await call.ResponseStream.MoveNext(token).ConfigureAwait(false))
                {
                    var response = call.ResponseStream.Current;

                    // Compacted: the revisions this watch needed are gone. Created behind our revision: etcd came back
                    // without its data. Either way the only safe state is a fresh read.
                    if (response.Created && response.Header.Revision < revision)
                    {
                        Log.WatchRereadAfterDataLoss(_logger, service, response.Header.Revision, revision);
                        reread = true;
                        return;
                    }

                    if (response.CompactRevision != 0 || response.Canceled)
                    {
                        Log.WatchReread(_logger, service, response.CompactRevision != 0
                            ? $"revision {revision + 1} was compacted away (etcd keeps history from revision {response.CompactRevision})"
                            : $"etcd cancelled the watch ({response.CancelReason})");
                        reread = true;
                        return;
                    }

                    progress();
                    if (response.Events.Count == 0)
                    {
                        // A progress notification: every event up to the header's revision has been delivered.
                        if (!response.Created)
                        {
                            revision = Math.Max(revision, response.Header.Revision);
                        }

                        continue;
                    }

                    // One revision can hold many events (a lease that ends deletes all of its keys at once, a
                    // transaction writes several), and etcd never splits a revision over responses (this watch does
                    // not ask for fragments). So every event newer than what was applied before this response is
                    // applied, in order; comparing with the revision of the previous event would drop all but the
                    // first of a revision and leave ghost instances behind.
                    long applied = revision;
                    foreach (var change in response.Events)
                    {
                        if (change.Kv.ModRevision > applied)
                        {
                            Apply(current, service, prefix, change.Kv, change.Type == Event.Types.EventType.Delete);
                            revision = Math.Max(revision, change.Kv.ModRevision);
                        }
                    }

                    _store.Replace(service, [.. current.Values]);
                }
            },
            resumed: failures => Log.WatchResumed(_logger, service, _options.Endpoint, failures, revision));
    }

    private static void Apply(SortedDictionary<string, ServiceInstance> current, string service, string prefix, KeyValue kv, bool isDelete)
    {
        string address = kv.Key.ToStringUtf8()[prefix.Length..];
        if (isDelete || InstanceRecord.Parse(service, address, kv.Value.Span) is not { } instance)
        {
            current.Remove(address);
        }
        else
        {
            current[address] = instance;
        }
    }
}
