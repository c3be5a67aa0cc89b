using Fitten.Discovery;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Which registry discovery uses, read from configuration by
/// <see cref="FittenDiscoveryBuilderExtensions.AddRegistryFromConfiguration"/> (section <c>Fitten:Registry</c>),
/// and the host this server is published under (<see cref="AdvertisedHost"/>). Checked when the host starts.
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

    /// <summary>
    /// The host name or IP address other machines reach this server by, published by
    /// <see cref="FittenDiscoveryBuilderExtensions.AddServiceRegistration"/> for the Fitten RPC endpoints bound to a
    /// wildcard address (0.0.0.0, [::]); an endpoint bound to a specific address, loopback included, is published
    /// with that address. Only the host: no scheme, port or path; neither a wildcard nor loopback. Read from
    /// <c>Fitten:Registry:AdvertisedHost</c>. Default: null, meaning this machine's first non-loopback unicast
    /// address on an interface that is up, IPv4 preferred (only IPv4 for 0.0.0.0; IPv6 link-local addresses are
    /// skipped), because in a container or on a one-interface machine that is the address others reach. When there
    /// is none, start-up fails naming this key. A wildcard is never published as loopback: remote callers would
    /// connect to themselves.
    /// </summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>The section <see cref="Kind"/> was read from, so messages name the key to fix.</summary>
    internal string SectionPath { get; set; } = DefaultSectionPath;

    /// <summary>The configuration key of <see cref="Kind"/>.</summary>
    internal string KindKey => SectionPath + ":Kind";

    /// <summary>The configuration key of <see cref="AdvertisedHost"/>.</summary>
    internal string AdvertisedHostKey => SectionPath + ":" + nameof(AdvertisedHost);

    /// <summary>The service key the chosen kind is registered under: kinds are registered lower case.</summary>
    internal string ServiceKey => Kind.Trim().ToLowerInvariant();
}
