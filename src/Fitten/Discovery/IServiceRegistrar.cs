namespace Fitten.Discovery;

/// <summary>Adds and removes instances in a registry. A hosting service registers itself on start and deregisters on stop.</summary>
public interface IServiceRegistrar
{
    /// <summary>Adds <paramref name="instance"/>, or replaces the instance at its address.</summary>
    ValueTask RegisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default);

    /// <summary>Removes the instance at <paramref name="instance"/>'s address; does nothing when there is none.</summary>
    ValueTask DeregisterAsync(ServiceInstance instance, CancellationToken cancellationToken = default);
}
