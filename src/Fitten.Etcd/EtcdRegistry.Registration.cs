using Etcdserverpb;
using Fitten.Discovery;

namespace Fitten.Etcd;

public sealed partial class EtcdRegistry
{
    private readonly Lease.LeaseClient _leases;
    private readonly Dictionary<string, ServiceInstance> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingDeletes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task? _leaseLoop;
    private long _leaseId;
    private bool _dirty;
    private volatile bool _leaseLost;
    private volatile bool _writesPending;

    /// <summary>
    /// Stores <paramref name="instance"/> under this registry's lease. When etcd cannot be reached the instance is
    /// kept and stored as soon as it can (this call does not fail for that), so a service starts while etcd is down.
    /// </summary>
    public async ValueTask RegisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        string key = KeyOf(instance);
        lock (_registered)
        {
            _registered[key] = instance;
            _pendingDeletes.Remove(key);
            _dirty = true;
            _leaseLoop ??= KeepAliveLoopAsync();
        }

        if (await TrySyncAsync(cancellationToken).ConfigureAwait(false) is { } error)
        {
            Pending("Registration", instance, error);
        }
        else
        {
            RegistrarLog.InstanceRegistered(_logger, instance.Address, instance.Service, RegistryKinds.Etcd);
        }
    }

    /// <summary>Removes the instance's key. When etcd cannot be reached, the removal is retried in the background.</summary>
    public async ValueTask DeregisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        string key = KeyOf(instance);
        lock (_registered)
        {
            if (!_registered.Remove(key))
            {
                return;
            }

            _pendingDeletes.Add(key);
            _dirty = true;
        }

        if (await TrySyncAsync(cancellationToken).ConfigureAwait(false) is { } error)
        {
            Pending("Deregistration", instance, error);
        }
        else
        {
            RegistrarLog.InstanceDeregistered(_logger, instance.Address, instance.Service, RegistryKinds.Etcd);
        }
    }

    /// <summary>
    /// A (de)registration etcd did not take: the keep-alive loop writes it when etcd answers, so etcd being
    /// unreachable counts against that loop (the outage's one warning, if it is the first failure).
    /// </summary>
    private void Pending(string operation, ServiceInstance instance, Exception error)
    {
        NoteUnreachable(LeaseLoop, error);
        Log.RegistrationPending(_logger, operation, instance.Address, instance.Service, _options.Endpoint, Describe(error));
    }

    /// <summary>Writes what is pending; returns what went wrong when etcd could not be reached, null when written.</summary>
    private async Task<Exception?> TrySyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // etcd is unreachable: the keep-alive loop retries with backoff, and says when the writes went through.
            _writesPending = true;
            Wake();
            return ex;
        }
    }

    /// <summary>Grants a lease when there is none and writes every pending put and delete. One writer at a time.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _leaseId) == 0)
            {
                var grant = await _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)_options.LeaseTtl.TotalSeconds }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _leaseId, grant.ID);
                if (!_leaseLost)
                {
                    Log.LeaseGranted(_logger, grant.ID, _options.LeaseTtl.TotalSeconds, _options.Endpoint);
                }
                lock (_registered)
                {
                    // A new lease holds nothing yet: every instance must be written again.
                    _dirty = true;
                }
            }

            KeyValuePair<string, ServiceInstance>[] puts;
            string[] deletes;
            lock (_registered)
            {
                if (!_dirty)
                {
                    return;
                }

                _dirty = false;
                puts = [.. _registered];
                deletes = [.. _pendingDeletes];
            }

            try
            {
                long lease = Interlocked.Read(ref _leaseId);
                foreach (var (key, instance) in puts)
                {
                    await _client.PutAsync(new PutRequest { Key = Bytes(key), Value = Google.Protobuf.ByteString.CopyFrom(InstanceRecord.Serialize(instance)), Lease = lease }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                foreach (string key in deletes)
                {
                    await _client.DeleteAsync(new DeleteRangeRequest { Key = Bytes(key) }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    lock (_registered)
                    {
                        _pendingDeletes.Remove(key);
                    }
                }

                if (_leaseLost)
                {
                    _leaseLost = false;
                    Log.LeaseRegranted(_logger, lease, puts.Length);
                }

                if (_writesPending)
                {
                    _writesPending = false;
                    Log.PendingWritten(_logger, _options.Endpoint, puts.Length, deletes.Length);
                }
            }
            catch (Exception ex)
            {
                lock (_registered)
                {
                    _dirty = true;
                }

                // "requested lease not found": etcd lost the lease (it came back without its data); grant a new one.
                if (ex is Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.NotFound })
                {
                    LoseLease(Interlocked.Read(ref _leaseId), "etcd does not know it");
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Keeps the lease alive every third of its TTL over one keep-alive stream, reconnecting with backoff. When etcd
    /// answers TTL 0 the lease is gone (it expired while etcd was unreachable, or etcd lost its data): a new lease
    /// is granted and every instance written again.
    /// </summary>
    private Task KeepAliveLoopAsync() => RetryUntilDisposedAsync(
        LeaseLoop,
        KeepAliveAsync,
        resumed: failures => Log.LeaseResumed(_logger, _options.Endpoint, failures, Interlocked.Read(ref _leaseId)));

    private async Task KeepAliveAsync(Action progress, CancellationToken token)
    {
        await SyncAsync(token).ConfigureAwait(false);
        using var call = _leases.LeaseKeepAlive(cancellationToken: token);
        while (!token.IsCancellationRequested)
        {
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = Interlocked.Read(ref _leaseId) }, token).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_options.RequestTimeout);
            if (!await call.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
            {
                return;
            }

            if (call.ResponseStream.Current.TTL <= 0)
            {
                LoseLease(Interlocked.Read(ref _leaseId), "etcd answered TTL 0: it expired while etcd could not be reached, or etcd lost it");
                return;
            }

            progress();
            await SyncAsync(token).ConfigureAwait(false);
            await _wake.WaitAsync(_options.LeaseTtl / 3, token).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets <paramref name="lease"/> (once, if it is still the current one), so the next sync grants a new one.</summary>
    private void LoseLease(long lease, string reason)
    {
        if (lease != 0 && Interlocked.CompareExchange(ref _leaseId, 0, lease) == lease)
        {
            _leaseLost = true;
            Log.LeaseLost(_logger, lease, reason, RegisteredCount());
        }
    }

    private int RegisteredCount()
    {
        lock (_registered)
        {
            return _registered.Count;
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    private async Task RevokeAsync()
    {
        long lease = Interlocked.Exchange(ref _leaseId, 0);
        if (lease == 0)
        {
            return;
        }

        try
        {
            await _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, deadline: Deadline()).ConfigureAwait(false);
            Log.LeaseRevoked(_logger, lease);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unreachable: the keys disappear when the lease expires.
        }
    }
}
