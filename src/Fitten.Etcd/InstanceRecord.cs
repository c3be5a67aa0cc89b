using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fitten.Discovery;

namespace Fitten.Etcd;

/// <summary>The JSON value stored under an instance's key (service, host and port are in the key).</summary>
internal sealed record InstanceRecord(int Weight, string? Zone, string? Version, Dictionary<string, string>? Tags)
{
    public static byte[] Serialize(ServiceInstance instance)
        => JsonSerializer.SerializeToUtf8Bytes(
            new InstanceRecord(instance.Weight, instance.Zone, instance.Version, instance.Tags.Count == 0 ? null : new Dictionary<string, string>(instance.Tags)),
            EtcdJsonContext.Default.InstanceRecord);

    /// <summary>The instance at <paramref name="address"/> ("host:port", IPv6 in brackets), or null when the value does not parse.</summary>
    public static ServiceInstance? Parse(string service, string address, ReadOnlySpan<byte> json)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), out int port))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize(json, EtcdJsonContext.Default.InstanceRecord);
            return new ServiceInstance(service, address[..colon].Trim('[', ']'), port)
            {
                Weight = record?.Weight ?? ServiceInstance.DefaultWeight,
                Zone = record?.Zone,
                Version = record?.Version,
                Tags = record?.Tags is { } tags ? tags.ToImmutableSortedDictionary(StringComparer.Ordinal) : ImmutableSortedDictionary<string, string>.Empty,
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // Written by something else: one bad key must not hide the service's other instances.
            return null;
        }
    }
}

/// <summary>Source-generated JSON for <see cref="InstanceRecord"/> (no reflection, so Native AOT works).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InstanceRecord))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
