using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Configures Fitten in a service collection; features are extension methods on it.</summary>
public interface IFittenBuilder
{
    /// <summary>The service collection Fitten registers into.</summary>
    IServiceCollection Services { get; }
}
