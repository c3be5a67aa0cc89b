using System.Globalization;
using System.Net;

namespace Shop.Hosting;

/// <summary>
/// Which services this process runs, on which ports, and how they find each other; read from configuration under
/// <c>Shop</c> (appsettings.json, environment variables such as <c>Shop__Ports__orders</c>, the command line).
/// A value that does not parse fails start-up with the key's name.
/// </summary>
public sealed record ShopSettings
{
    /// <summary>Default etcd endpoint: etcd's own default client URL on this machine.</summary>
    public const string DefaultEtcd = "http://127.0.0.1:2379";

    /// <summary>Short command-line switches and the keys they set; any key also works as <c>--Shop:Ports:orders=6101</c>.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--service"] = "Shop:Service",
        ["--registry"] = "Shop:Registry",
        ["--etcd"] = "Shop:Etcd",
        ["--port"] = "Shop:Port",
        ["--address"] = "Shop:Address",
    };

    /// <summary>The services to run here, in start order. <c>Shop:Service</c>: "all" (default) or names separated by commas.</summary>
    public required IReadOnlyList<ShopService> Services { get; init; }

    /// <summary>
    /// <c>Shop:Registry</c>: "inprocess", "config" or "etcd". Default: etcd when <c>Shop:Etcd</c> is set; otherwise
    /// in-process when every service runs here, else config, because the in-process registry only sees this process.
    /// </summary>
    public required ShopRegistry Registry { get; init; }

    /// <summary><c>Shop:Etcd</c>: the etcd endpoint for <see cref="ShopRegistry.Etcd"/>. Default: <see cref="DefaultEtcd"/>.</summary>
    public required string Etcd { get; init; }

    /// <summary><c>Shop:Address</c>: the address every service listens on. Default: 127.0.0.1, reachable from this machine only.</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Each service's port: <c>Shop:Ports:{name}</c>, or <c>Shop:Port</c> when one service runs here; 0 picks a free one.</summary>
    public required IReadOnlyDictionary<string, int> Ports { get; init; }

    /// <summary>Reads and checks the settings.</summary>
    public static ShopSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var shop = configuration.GetSection("Shop");
        string selection = shop["Service"] is { Length: > 0 } s ? s : "all";
        IReadOnlyList<ShopService> services = ShopService.All;
        if (!selection.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            // In start order, whatever order they were named in.
            var chosen = selection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ShopService.Get).ToHashSet();
            services = [.. ShopService.All.Where(chosen.Contains)];
        }

        var registry = shop["Registry"] switch
        {
            null or "" when shop["Etcd"] is { Length: > 0 } => ShopRegistry.Etcd,
            null or "" => services.Count == ShopService.All.Count ? ShopRegistry.InProcess : ShopRegistry.Config,
            var name => Enum.TryParse<ShopRegistry>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new FormatException($"Shop:Registry '{name}' is not one of inprocess, config, etcd."),
        };
        if (registry == ShopRegistry.InProcess && services.Count != ShopService.All.Count)
        {
            throw new ArgumentException("The in-process registry only finds services in this process: run them all, or use --registry config or etcd.");
        }

        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            string key = services.Count == 1 && shop["Port"] is not null ? "Shop:Port" : $"Shop:Ports:{service.Name}";
            ports[service.Name] = configuration[key] is { } text ? ParsePort(key, text) : service.DefaultPort;
        }

        return new ShopSettings
        {
            Services = services,
            Registry = registry,
            Etcd = shop["Etcd"] is { Length: > 0 } etcd ? etcd : DefaultEtcd,
            Address = shop["Address"] is { } address
                ? IPAddress.TryParse(address, out var ip) ? ip : throw new FormatException($"Shop:Address '{address}' is not an IP address.")
                : IPAddress.Loopback,
            Ports = ports,
        };
    }

    private static int ParsePort(string key, string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new FormatException($"{key} '{text}' is not a port (0 to 65535).");
}
