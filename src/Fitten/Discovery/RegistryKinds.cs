namespace Fitten.Discovery;

/// <summary>
/// Names of the registries configuration can choose (<c>Fitten:Registry:Kind</c>). A registry kind is its
/// registrar, resolver and watcher registered as keyed services under its name, so a package adds a kind without
/// the host knowing its types.
/// </summary>
public static class RegistryKinds
{
    /// <summary>The in-process registry: services hosted in one process find each other with no configuration. The default.</summary>
    public const string InProcess = "inprocess";

    /// <summary>Instances listed in configuration (<c>Fitten:Clients:{service}:Endpoints</c>); this process registers in-process.</summary>
    public const string Configuration = "configuration";

    /// <summary>etcd, for services spread over machines (package Fitten.Etcd, <c>Fitten:Registry:Etcd</c>).</summary>
    public const string Etcd = "etcd";
}
