using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fitten.Discovery;

/// <summary>
/// A registry in memory: services hosted in one process find each other with no configuration. The default
/// registry; thread-safe; watchers see every change at once.
/// </summary>
public sealed class InProcessRegistry : IServiceRegistrar, IServiceResolver, IServiceWatcher
{
    private readonly InstanceSetStore _store = new();
    private readonly ILogger _logger;

    /// <summary>Creates an empty registry that logs registrations to <paramref name="loggerFactory"/> (category <c>Fitten.Discovery</c>).</summary>
    public InProcessRegistry(ILoggerFactory? loggerFactory = null)
        => _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(RegistrarLog.Category);

    /// <inheritdoc/>
    public ValueTask RegisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _store.Update(instance.Service, current =>
        {
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i].HasSameAddress(instance))
                {
                    return current.SetItem(i, instance);
                }
            }

            return current.Add(instance);
        });
        RegistrarLog.InstanceRegistered(_logger, instance.Address, instance.Service, RegistryKinds.InProcess);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeregisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        bool removed = false;
        _store.Update(instance.Service, current =>
        {
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i].HasSameAddress(instance))
                {
                    removed = true;
                    return current.RemoveAt(i);
                }
            }

            return current;
        });
        if (removed)
        {
            RegistrarLog.InstanceDeregistered(_logger, instance.Address, instance.Service, RegistryKinds.InProcess);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<ServiceInstanceSet> ResolveAsync(string service, CancellationToken cancellationToken = default)
        => _store.ResolveAsync(service, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
        => _store.WatchAsync(service, cancellationToken);
}
