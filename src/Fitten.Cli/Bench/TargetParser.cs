using System.Text;
using Fitten.Bench.Http;
using Fitten.Bench.Targets;

namespace Fitten.Cli.Bench;

/// <summary>
/// Turns the target argument into an <see cref="ILoadTarget"/>. The scheme picks the target kind; adding one
/// (Fitten RPC) is a new case here and a new target in the engine, nothing else.
/// </summary>
internal static class TargetParser
{
    public const string RpcNotAvailable =
        "RPC target not available in this build yet: the Fitten RPC transport is still being built. Use an http:// target for now.";

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
            "rpc" => RpcNotAvailable,
            _ => $"unknown URL scheme '{uri.Scheme}' in '{text}': use http://host:port/path or rpc://host:port/service/method",
        };
    }

    /// <summary>Creates the target described by the command line.</summary>
    /// <exception cref="ArgumentException">The target or its request options are invalid.</exception>
    public static ILoadTarget Create(string text, string method, IReadOnlyList<string> headers, string? body, FileInfo? bodyFile)
    {
        if (Validate(text) is { } error)
        {
            throw new ArgumentException(error);
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

        ReadOnlyMemory<byte> bytes = default;
        if (bodyFile is not null)
        {
            if (!bodyFile.Exists)
            {
                throw new ArgumentException($"--body-file '{bodyFile.FullName}' does not exist");
            }

            bytes = File.ReadAllBytes(bodyFile.FullName);
        }
        else if (body is not null)
        {
            bytes = Encoding.UTF8.GetBytes(body);
        }

        return new HttpTarget(new HttpTargetOptions
        {
            Url = new Uri(text),
            Method = method.ToUpperInvariant(),
            Headers = parsedHeaders,
            Body = bytes,
        });
    }
}
