using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Fitten.Discovery;

/// <summary>
/// One instance of a service as a registry knows it. Immutable with value equality (tags included), so a
/// registry update can tell which instances changed.
/// </summary>
public sealed record ServiceInstance
{
    private readonly string _service = string.Empty;
    private readonly string _host = string.Empty;
    private readonly int _port;
    private readonly int _weight = DefaultWeight;

    /// <summary>
    /// Weight of an instance that sets none. Default: 100, as in go-zero and Kitex (their registries default to
    /// 100 too), leaving room to weigh an instance both up and down in whole numbers.
    /// </summary>
    public const int DefaultWeight = 100;

    /// <summary>Largest weight accepted: 10,000 (keeps weight sums of thousands of instances far from overflow).</summary>
    public const int MaxWeight = 10_000;

    /// <summary>Creates an instance of <paramref name="service"/> at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public ServiceInstance(string service, string host, int port)
    {
        Service = service;
        Host = host;
        Port = port;
    }

    /// <summary>The service name, e.g. "shop.orders". Not empty.</summary>
    public string Service
    {
        get => _service;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Service));
            _service = value;
        }
    }

    /// <summary>Host name or IP address the instance listens on. Not empty.</summary>
    public string Host
    {
        get => _host;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Host));
            _host = value;
        }
    }

    /// <summary>Port the instance serves Fitten RPC on, 1 to 65535.</summary>
    public int Port
    {
        get => _port;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535, nameof(Port));
            _port = value;
        }
    }

    /// <summary>Relative share of traffic for weighted balancers, 1 to <see cref="MaxWeight"/>. Default: <see cref="DefaultWeight"/>.</summary>
    public int Weight
    {
        get => _weight;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Weight));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxWeight, nameof(Weight));
            _weight = value;
        }
    }

    /// <summary>Availability zone, or null when unknown.</summary>
    public string? Zone { get; init; }

    /// <summary>Version of the deployed service, or null when unknown.</summary>
    public string? Version { get; init; }

    /// <summary>Free-form tags (e.g. "env" = "canary"). Keys compare ordinally.</summary>
    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>"host:port", with IPv6 hosts in brackets: the key that identifies an instance within its service.</summary>
    public string Address => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>The endpoint to connect to: an <see cref="IPEndPoint"/> for literal addresses, else a <see cref="DnsEndPoint"/>.</summary>
    public EndPoint ToEndPoint() => IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);

    /// <summary>True when both describe the same instance with the same weight, zone, version and tags.</summary>
    public bool Equals(ServiceInstance? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || _port != other._port || _weight != other._weight
            || !string.Equals(_service, other._service, StringComparison.Ordinal)
            || !string.Equals(_host, other._host, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(Zone, other.Zone, StringComparison.Ordinal)
            || !string.Equals(Version, other.Version, StringComparison.Ordinal)
            || Tags.Count != other.Tags.Count)
        {
            return false;
        }

        // Both dictionaries are sorted by the same comparer, so equal ones enumerate in the same order.
        foreach (var (key, value) in Tags)
        {
            if (!other.Tags.TryGetValue(key, out var otherValue) || !string.Equals(value, otherValue, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode()
        => HashCode.Combine(_service, StringComparer.OrdinalIgnoreCase.GetHashCode(_host), _port, _weight, Zone, Version, Tags.Count);

    /// <inheritdoc/>
    public override string ToString() => $"{Service}@{Address}";

    /// <summary>True when <paramref name="other"/> is at the same host and port (whatever its weight or tags).</summary>
    public bool HasSameAddress(ServiceInstance other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _port == other._port && string.Equals(_host, other._host, StringComparison.OrdinalIgnoreCase);
    }
}
