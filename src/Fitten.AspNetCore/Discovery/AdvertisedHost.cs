using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// The host published for a Fitten RPC endpoint: the address it is bound to, or for a wildcard binding (0.0.0.0,
/// [::]) <see cref="RegistryOptions.AdvertisedHost"/>, else this machine's first usable address. A wildcard is never
/// published as loopback: remote callers would connect to themselves.
/// </summary>
internal static class AdvertisedHost
{
    /// <summary>The host to publish for an endpoint bound to <paramref name="bound"/>; throws, naming the key to set, when there is none.</summary>
    public static string For(IPEndPoint bound, RegistryOptions options, Func<IEnumerable<IPAddress>> machineAddresses)
    {
        if (!IsWildcard(bound.Address))
        {
            // A specific address (loopback included: a setup for this machine only) is published as bound.
            return bound.Address.ToString();
        }

        if (options.AdvertisedHost is { } configured)
        {
            return Bare(configured);
        }

        // 0.0.0.0 accepts IPv4 only; Kestrel binds [::] dual-mode, so it accepts both.
        bool ipv4Only = bound.AddressFamily == AddressFamily.InterNetwork;
        return Choose(machineAddresses(), ipv4Only)?.ToString() ?? throw new InvalidOperationException(
            $"Fitten RPC listens on {bound} (every interface), but this machine has no {(ipv4Only ? "IPv4 " : "")}address other than loopback "
            + $"to publish for it, and a wildcard binding is never published as loopback: set {options.AdvertisedHostKey} to the host name "
            + "or address other machines reach this server by, or bind 127.0.0.1 for a service used from this machine only.");
    }

    /// <summary>
    /// The first non-loopback unicast address of <paramref name="candidates"/>, IPv4 preferred; null if none. IPv6
    /// link-local addresses are skipped: they need the caller's interface (a scope id) to be reached.
    /// </summary>
    public static IPAddress? Choose(IEnumerable<IPAddress> candidates, bool ipv4Only)
    {
        IPAddress? ipv6 = null;
        foreach (var address in candidates)
        {
            if (IPAddress.IsLoopback(address) || IsWildcard(address))
            {
                continue;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                return address;
            }

            if (!ipv4Only && ipv6 is null && address.AddressFamily == AddressFamily.InterNetworkV6
                && !address.IsIPv6LinkLocal && !address.IsIPv6Multicast && !address.IsIPv4MappedToIPv6)
            {
                ipv6 = address;
            }
        }

        return ipv6;
    }

    /// <summary>The unicast addresses of this machine's network interfaces that are up, in the order the system lists them.</summary>
    public static IEnumerable<IPAddress> MachineAddresses()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                yield return unicast.Address;
            }
        }
    }

    /// <summary>Why <paramref name="value"/> cannot be an advertised host, or null if it can.</summary>
    public static string? Problem(string value, string key)
    {
        string host = Bare(value);
        if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return $"{key} is '{value}', which is not a host name or IP address: give only the host other machines reach this server by, with no scheme, port or path.";
        }

        if (IPAddress.TryParse(host, out var address) && IsWildcard(address))
        {
            return $"{key} is '{value}', a wildcard address, which no caller can connect to: give the host other machines reach this server by.";
        }

        bool loopback = address is not null
            ? IPAddress.IsLoopback(address)
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return loopback
            ? $"{key} is '{value}', a loopback address, which only this machine can reach: give the host other machines reach this server by (a service for this machine only binds 127.0.0.1 instead of a wildcard)."
            : null;
    }

    /// <summary>Whether <paramref name="address"/> is 0.0.0.0 or [::], every interface.</summary>
    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>The host as published: trimmed, an IPv6 literal without brackets (as <see cref="Fitten.Discovery.ServiceInstance.Host"/> holds it).</summary>
    private static string Bare(string value)
    {
        string host = value.Trim();
        return host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
    }
}
