namespace Fitten.Discovery;

/// <summary>Answers which instances a service has right now.</summary>
public interface IServiceResolver
{
    /// <summary>The current instances of <paramref name="service"/> (an empty set when it has none).</summary>
    ValueTask<ServiceInstanceSet> ResolveAsync(string service, CancellationToken cancellationToken = default);
}
