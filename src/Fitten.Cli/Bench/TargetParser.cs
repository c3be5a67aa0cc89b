using System.Text;
using System.Net;
using Fitten.Bench.Http;
using Fitten.Bench.Rpc;
using Fitten.Bench.Targets;

namespace Fitten.Cli.Bench;

/// <summary>
/// Turns the target argument into an <see cref="ILoadTarget"/>. The scheme picks the target kind; adding one
/// (Fitten RPC) is a new case here and a new target in the engine, nothing else.
/// </summary>
internal static class TargetParser
{
    /// <summary>Returns an error message for a target that cannot work, or null when it looks usable.</summary>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "a target is required, e.g. http://127.0.0.1:8080/ping";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !text.Contains("://", StringComparison.Ordinal))
        {
            return $"'{text}' is not a URL; use http://host:port/path or rpc://host:port/service/method";
        }

        return uri.Scheme switch
        {
            "http" when string.IsNullOrEmpty(uri.Host) => $"'{text}' has no host",
            "http" => null,
            "https" => "https targets are not supported yet: the lean client speaks plain HTTP/1.1 only; use http://",
            "rpc" when string.IsNullOrEmpty(uri.Host) || uri.IsDefaultPort || uri.Port <= 0 => $"'{text}' needs a host and a port: rpc://host:port/service/method",
            "rpc" when RpcPath(uri) is null => $"'{text}' names no method: use rpc://host:port/service/method, e.g. rpc://127.0.0.1:5000/shop.orders/Get",
            "rpc" => null,
            _ => $"unknown URL scheme '{uri.Scheme}' in '{text}': use http://host:port/path or rpc://host:port/service/method",
        };
    }

    /// <summary>Creates the target described by the command line.</summary>
    /// <exception cref="ArgumentException">The target or its request options are invalid.</exception>
    public static ILoadTarget Create(string text, string method, IReadOnlyList<string> headers, string? body, FileInfo? bodyFile, string? request = null, FileInfo? requestFile = null)
    {
        if (Validate(text) is { } error)
        {
            throw new ArgumentException(error);
        }

        var uri = new Uri(text);
        if (uri.Scheme == "rpc")
        {
            var (service, name) = RpcPath(uri)!.Value;
            return new RpcTarget(new RpcTargetOptions
            {
                EndPoint = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.Host, uri.Port),
                Service = service,
                Method = name,
                Request = ReadPayload(request, requestFile, "--request-file"),
            });
        }

        var parsedHeaders = new List<KeyValuePair<string, string>>();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new ArgumentException($"header '{header}' is not 'Name: value'");
            }

            parsedHeaders.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        var bytes = ReadPayload(body, bodyFile, "--body-file");
        return new HttpTarget(new HttpTargetOptions
        {
            Url = new Uri(text),
            Method = method.ToUpperInvariant(),
            Headers = parsedHeaders,
            Body = bytes,
        });
    }

    /// <summary>A message from a file (which must exist) or from text (sent as UTF-8); empty when neither is given.</summary>
    private static ReadOnlyMemory<byte> ReadPayload(string? text, FileInfo? file, string fileOption)
    {
        if (file is not null)
        {
            return file.Exists
                ? File.ReadAllBytes(file.FullName)
                : throw new ArgumentException($"{fileOption} '{file.FullName}' does not exist");
        }

        return text is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(text);
    }

    /// <summary>"/service/method" from an rpc:// URL, or null when the path is not exactly those two parts.</summary>
    private static (string Service, string Method)? RpcPath(Uri uri)
    {
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }
}
