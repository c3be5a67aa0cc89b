using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Fitten.Client;
using Fitten.Discovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Instances listed in configuration, read again whenever the configuration reloads (e.g. appsettings.json
/// edited on disk). Under <c>Fitten:Clients:{service}:Endpoints</c>, each entry is either an address
/// ("127.0.0.1:5001") or an object with <c>Address</c> and optional <c>Weight</c>, <c>Zone</c>, <c>Version</c>
/// and <c>Tags</c>. A configuration that does not parse fails at start-up; a reload that does not parse keeps
/// that service's previous instances.
/// </summary>
public sealed partial class ConfigurationRegistry : IServiceResolver, IServiceWatcher, IDisposable
{
    /// <summary>Where services are listed. Default: "Fitten:Clients".</summary>
    public const string DefaultSectionPath = "Fitten:Clients";

    private readonly IConfigurationSection _section;
    private readonly InstanceSetStore _store = new();
    private readonly IDisposable _reloads;
    private readonly ILogger _logger;

    /// <summary>
    /// Reads the services under <paramref name="sectionPath"/> and follows its reloads; a reload that does not
    /// parse is logged to <paramref name="loggerFactory"/> (category <c>Fitten.Discovery</c>).
    /// </summary>
    public ConfigurationRegistry(IConfiguration configuration, string sectionPath = DefaultSectionPath, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(RegistrarLog.Category);
        _section = configuration.GetSection(sectionPath);
        Load(throwOnError: true);
        _reloads = ChangeToken.OnChange(configuration.GetReloadToken, () => Load(throwOnError: false));
    }

    /// <inheritdoc/>
    public ValueTask<ServiceInstanceSet> ResolveAsync(string service, CancellationToken cancellationToken = default)
        => _store.ResolveAsync(service, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ServiceInstanceSet> WatchAsync(string service, CancellationToken cancellationToken = default)
        => _store.WatchAsync(service, cancellationToken);

    /// <summary>Stops following configuration reloads.</summary>
    public void Dispose() => _reloads.Dispose();

    private void Load(bool throwOnError)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in _section.GetChildren())
        {
            seen.Add(service.Key);
            ImmutableArray<ServiceInstance> instances;
            try
            {
                instances = Parse(service);
            }
            catch (Exception ex) when (!throwOnError && ex is FormatException or ArgumentException)
            {
                Log.ReloadRejected(_logger, ex, service.Path, ex.Message, _store.Get(service.Key).Instances.Length);
                continue;
            }

            _store.Replace(service.Key, instances);
        }

        // A service deleted from configuration has no instances any more.
        foreach (var known in _store.Services())
        {
            if (!seen.Contains(known))
            {
                _store.Replace(known, []);
            }
        }
    }

    private static ImmutableArray<ServiceInstance> Parse(IConfigurationSection service)
    {
        var instances = ImmutableArray.CreateBuilder<ServiceInstance>();
        foreach (var entry in service.GetSection("Endpoints").GetChildren())
        {
            string address = entry.Value ?? entry["Address"]
                ?? throw new FormatException($"{entry.Path}: expected an address or an object with Address.");
            var (host, port) = FittenAddress.Parse(address) switch
            {
                IPEndPoint ip => (ip.Address.ToString(), ip.Port),
                DnsEndPoint dns => (dns.Host, dns.Port),
                var other => throw new FormatException($"{entry.Path}: unsupported address {other}."),
            };
            var instance = new ServiceInstance(service.Key, host, port)
            {
                Zone = entry["Zone"],
                Version = entry["Version"],
            };
            if (entry["Weight"] is { } weight)
            {
                instance = instance with { Weight = int.Parse(weight, NumberStyles.None, CultureInfo.InvariantCulture) };
            }

            var tags = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var tag in entry.GetSection("Tags").GetChildren())
            {
                tags[tag.Key] = tag.Value ?? string.Empty;
            }

            instances.Add(instance with { Tags = tags.ToImmutable() });
        }

        // Rejects two entries at one address with a message naming the service.
        return new ServiceInstanceSet(service.Key, instances.ToImmutable(), 0).Instances;
    }
}
