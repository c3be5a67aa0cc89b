using System.Text;
using dotnet_etcd;
using Etcdserverpb;
using Fitten.Discovery;
using Fitten.Internal;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    private readonly ServiceProvider? _channelServices;
    private readonly GrpcChannel _channel;
    private readonly EtcdClient _client;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// Creates a registry on the etcd at <see cref="EtcdRegistryOptions.Endpoint"/>. Connects on first use. Logs
    /// registrations, lease and watch events, and etcd being unreachable to <paramref name="loggerFactory"/>
    /// (category <c>Fitten.Discovery.Etcd</c>).
    /// </summary>
    public EtcdRegistry(EtcdRegistryOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? new EtcdRegistryOptions();
        _options.Validate();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(LogCategory);
        (_channel, _channelServices) = CreateChannel(_options);
        var invoker = _channel.CreateCallInvoker();
        _client = new EtcdClient(invoker);
        _leases = new Lease.LeaseClient(invoker);
        _watches = new Watch.WatchClient(invoker);
    }

    /// <summary>The options in use.</summary>
    public EtcdRegistryOptions Options => _options;

    /// <summary>
    /// One endpoint: a plain channel. Several (members of one cluster): gRPC's pick_first over a static list, which
    /// tries them in order and moves to the next when the one in use fails. Its reconnect backoff follows this
    /// registry's (gRPC's own reaches 120 s, which would leave a registry deaf long after etcd came back).
    /// </summary>
    private static (GrpcChannel Channel, ServiceProvider? Services) CreateChannel(EtcdRegistryOptions options)
    {
        var endpoints = options.Endpoints();
        if (endpoints.Length == 1)
        {
            return (GrpcChannel.ForAddress(endpoints[0]), null);
        }

        var addresses = new BalancerAddress[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            addresses[i] = new BalancerAddress(endpoints[i].Host, endpoints[i].Port);
        }

        var services = new ServiceCollection().AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses)).BuildServiceProvider();
        var channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = endpoints[0].Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } },
            ServiceProvider = services,
            InitialReconnectBackoff = options.RetryDelay,
            MaxReconnectBackoff = MaxRetryDelay,
        });
        return (channel, services);
    }

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
    /// end (etcd unreachable, restarting, or closing the stream) that grows ×1.6 with jitter up to 5 s
    /// (<see cref="Backoff"/>) and starts over whenever an attempt calls its progress callback. The loops that keep
    /// leases and watches alive are built on it.
    /// An attempt that fails before etcd answered it counts toward the registry's outage (<see cref="NoteUnreachable"/>:
    /// one warning for the registry) and logs a Debug line with its exception. One that fails after etcd answered
    /// lost a stream that worked (etcd killed, a connection cut): a Debug line, and no outage unless the next attempt
    /// fails too, so a loop that only notices on its next beat, after etcd is back, does not warn for it. The first
    /// progress after counted failures goes to <paramref name="resumed"/> with how many there were.
    /// </summary>
    private async Task RetryUntilDisposedAsync(string loop, Func<Action, CancellationToken, Task> attempt, Action<int> resumed)
    {
        await Task.Yield();
        var token = _disposed.Token;
        var backoff = new Backoff(_options.RetryDelay, MaxRetryDelay);
        int failures = 0;
        bool answered = false;
        void Progress()
        {
            answered = true;
            backoff.Reset();
            if (failures != 0)
            {
                resumed(failures);
                failures = 0;
            }

            NoteReached(loop);
        }

        while (!token.IsCancellationRequested)
        {
            Exception? failure = null;
            answered = false;
            try
            {
                await attempt(Progress, token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // Disposed: gRPC reports the cancelled stream as an RpcException (Cancelled), which is no outage.
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            // Unreachable, restarting or a closed stream: the next attempt comes after the backoff.
            var delay = backoff.Next();
            if (failure is not null && answered)
            {
                Log.StreamLost(_logger, failure, loop, _options.Endpoint, Describe(failure), Math.Round(delay.TotalSeconds, 2));
            }
            else if (failure is not null)
            {
                NoteUnreachable(loop, failure);
                Log.AttemptFailed(_logger, failure, loop, _options.Endpoint, Describe(failure), ++failures, Math.Round(delay.TotalSeconds, 2));
            }

            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What went wrong, short: gRPC's own message repeats the status, the detail and the inner exception.</summary>
    private static string Describe(Exception ex) => ex is Grpc.Core.RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;

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
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Stops everything without revoking the lease: what a crashed process leaves behind (tests).</summary>
    internal async ValueTask AbandonAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        await StopBackgroundAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseAsync()
    {
        _client.Dispose();
        _channel.Dispose();
        if (_channelServices is not null)
        {
            await _channelServices.DisposeAsync().ConfigureAwait(false);
        }
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
