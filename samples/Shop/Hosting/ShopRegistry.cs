namespace Shop.Hosting;

/// <summary>How the shop's services find each other.</summary>
public enum ShopRegistry
{
    /// <summary>One in-process registry shared by services in this process; each registers once it listens. Needs no setup.</summary>
    InProcess,

    /// <summary>Fixed endpoints from <c>Fitten:Clients:{service}:Endpoints</c> (appsettings.json, environment, command line).</summary>
    Config,

    /// <summary>etcd at <c>Shop:Etcd</c>: each service registers there with a lease and watches the ones it calls.</summary>
    Etcd,
}
