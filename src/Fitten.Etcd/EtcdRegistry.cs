using System.Text;
using dotnet_etcd;
using Etcdserverpb;
using Fitten.Discovery;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Fitten.Etcd;

/// <summary>
/// A registry in etcd, for services spread over machines. Instances are stored as
/// <c>{prefix}{service}/{host:port}</c> under one lease per registry, kept alive in the background, so an
/// instance whose process dies disappears when the lease expires; disposing revokes the lease (graceful
/// deregistration). Watches resume from the last revision seen after any disconnection, and read the whole
/// service again when etcd compacted that revision away, so no change is missed. While etcd is unreachable,
/// watchers keep the last instances they saw and registrations are retried until they succeed.
/// </summary>
public sealed partial class EtcdRegistry : IServiceRegistrar, IServiceResolver, IServiceWatcher, IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly EtcdRegistryOptions _options;
    private readonly GrpcChannel _channel;
    private readonly EtcdClient _client;
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Creates a registry on the etcd at <see cref="EtcdRegistryOptions.Endpoint"/>. Connects on first use.</summary>
    public EtcdRegistry(EtcdRegistryOptions? options = null)
    {
        _options = options ?? new EtcdRegistryOptions();
        _options.Validate();
        _channel = GrpcChannel.ForAddress(_options.Endpoint);
        var invoker = _channel.CreateCallInvoker();
        _client = new EtcdClient(invoker);
        _leases = new Lease.LeaseClient(invoker);
        _watches = new Watch.WatchClient(invoker);
    }

    /// <summary>The options in use.</summary>
    public EtcdRegistryOptions Options => _options;

    private DateTime Deadline() => DateTime.UtcNow + _options.RequestTimeout;

    private string ServicePrefix(string service) => _options.Prefix + service + "/";

    private string KeyOf(ServiceInstance instance) => ServicePrefix(instance.Service) + instance.Address;

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>etcd's range end for a prefix: the prefix with its last byte incremented.</summary>
    private static ByteString RangeEnd(string prefix)
    {
        byte[] end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return ByteString.CopyFrom(end);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> again and again until the registry is disposed, waiting a backoff after each
    /// end (etcd unreachable, restarting, or closing the stream) that doubles up to 5 s and starts over whenever an
    /// attempt calls its progress callback. The loops that keep leases and watches alive are built on it.
    /// </summary>
    private async Task RetryUntilDisposedAsync(Func<Action, CancellationToken, Task> attempt)
    {
        await Task.Yield();
        var token = _disposed.Token;
        var delay = _options.RetryDelay;
        void Progress() => delay = _options.RetryDelay;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await attempt(Progress, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Unreachable or restarting: the next attempt comes after the backoff.
            }

            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Stops watching, revokes the lease (removing this registry's instances at once) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        await StopBackgroundAsync().ConfigureAwait(false);
        await RevokeAsync().ConfigureAwait(false);
        _client.Dispose();
        _channel.Dispose();
    }

    /// <summary>Stops everything without revoking the lease: what a crashed process leaves behind (tests).</summary>
    internal async ValueTask AbandonAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        await StopBackgroundAsync().ConfigureAwait(false);
        _client.Dispose();
        _channel.Dispose();
    }

    private async Task StopBackgroundAsync()
    {
        var tasks = new List<Task>();
        lock (_registered)
        {
            if (_leaseLoop is not null)
            {
                tasks.Add(_leaseLoop);
            }
        }

        lock (_pumps)
        {
            tasks.AddRange(_pumps.Values);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }
    }
}
