using System.Globalization;
using System.Net;

namespace Fitten.Client;

/// <summary>Parses the address forms Fitten accepts: "host:port", "[::1]:port", "scheme://host:port[/]".</summary>
internal static class FittenAddress
{
    public static EndPoint Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        string text = address.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Port <= 0)
            {
                throw new FormatException($"'{address}' is not a valid address: expected host:port or scheme://host:port.");
            }

            return Create(uri.IdnHost, uri.Port);
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{address}' is not a valid address: expected host:port with a port from 1 to 65535.");
        }

        return Create(text[..colon].Trim('[', ']'), port);
    }

    private static EndPoint Create(string host, int port)
        => IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
}
