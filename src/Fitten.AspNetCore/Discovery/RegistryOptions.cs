using Fitten.Discovery;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Which registry discovery uses, read from configuration by
/// <see cref="FittenDiscoveryBuilderExtensions.AddRegistryFromConfiguration"/> (section <c>Fitten:Registry</c>).
/// Checked when the host starts.
/// </summary>
public sealed class RegistryOptions
{
    /// <summary>Where the registry is configured. Default: "Fitten:Registry".</summary>
    public const string DefaultSectionPath = "Fitten:Registry";

    /// <summary>
    /// The registry kind, case-insensitive: <c>inprocess</c>, <c>configuration</c>, <c>etcd</c> (when Fitten.Etcd's
    /// <c>AddEtcdRegistryKind()</c> was called), or a kind of your own registered as keyed
    /// <see cref="IServiceRegistrar"/>, <see cref="IServiceResolver"/> and <see cref="IServiceWatcher"/> under its
    /// name. Default: <see cref="RegistryKinds.InProcess"/>, because services in one process then need no setup.
    /// </summary>
    public string Kind { get; set; } = RegistryKinds.InProcess;

    /// <summary>The section <see cref="Kind"/> was read from, so messages name the key to fix.</summary>
    internal string SectionPath { get; set; } = DefaultSectionPath;

    /// <summary>The configuration key of <see cref="Kind"/>.</summary>
    internal string KindKey => SectionPath + ":Kind";

    /// <summary>The service key the chosen kind is registered under: kinds are registered lower case.</summary>
    internal string ServiceKey => Kind.Trim().ToLowerInvariant();
}
