using System.Collections.Immutable;

namespace Fitten.Discovery;

/// <summary>
/// An immutable snapshot of one service's instances. Registries publish a new set on every change; clients swap
/// the one they use atomically, so a call always sees one consistent set.
/// </summary>
public sealed class ServiceInstanceSet
{
    /// <summary>Creates a snapshot. Instances of another service, or two at one address, are rejected.</summary>
    public ServiceInstanceSet(string service, ImmutableArray<ServiceInstance> instances, long revision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        instances = instances.IsDefault ? [] : instances;
        for (int i = 0; i < instances.Length; i++)
        {
            var instance = instances[i] ?? throw new ArgumentException("Instances must not be null.", nameof(instances));
            if (!string.Equals(instance.Service, service, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Instance {instance} is not of service '{service}'.", nameof(instances));
            }

            for (int j = 0; j < i; j++)
            {
                if (instances[j].HasSameAddress(instance))
                {
                    throw new ArgumentException($"Two instances of '{service}' at {instance.Address}.", nameof(instances));
                }
            }
        }

        Service = service;
        Instances = instances;
        Revision = revision;
    }

    /// <summary>The service these instances belong to.</summary>
    public string Service { get; }

    /// <summary>The instances, in registration order.</summary>
    public ImmutableArray<ServiceInstance> Instances { get; }

    /// <summary>Grows with every change the registry publishes for this service (the etcd revision for etcd).</summary>
    public long Revision { get; }

    /// <summary>An empty set of <paramref name="service"/>.</summary>
    public static ServiceInstanceSet Empty(string service) => new(service, [], 0);

    /// <summary>True when both hold equal instances in the same order (revisions are ignored).</summary>
    public bool HasSameInstances(ServiceInstanceSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Instances.AsSpan().SequenceEqual(other.Instances.AsSpan());
    }
}
