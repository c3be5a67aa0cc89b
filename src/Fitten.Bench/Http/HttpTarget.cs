using System.Net;
using System.Net.Sockets;
using Fitten.Bench.Http.Internal;
using Fitten.Bench.Targets;

namespace Fitten.Bench.Http;

/// <summary>
/// An HTTP/1.1 endpoint, driven by a lean keep-alive client (a socket, a pre-encoded request and a minimal
/// response parser) rather than <c>HttpClient</c>, so that on a small machine the load generator is not the
/// bottleneck (budget P7: at least 0.8× wrk's requests/s).
/// </summary>
public sealed class HttpTarget : ILoadTarget
{
    private readonly HttpRequestTemplate _template;
    private EndPoint _endPoint;

    /// <summary>Creates the target and encodes its request.</summary>
    /// <param name="options">What to send.</param>
    /// <exception cref="ArgumentException">The URL or method is not usable.</exception>
    public HttpTarget(HttpTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        _template = new HttpRequestTemplate(options);
        _endPoint = IPAddress.TryParse(options.Url.Host.Trim('[', ']'), out var ip)
            ? new IPEndPoint(ip, options.Url.Port)
            : new DnsEndPoint(options.Url.Host, options.Url.Port);
    }

    /// <summary>The options the target was created with.</summary>
    public HttpTargetOptions Options { get; }

    /// <inheritdoc />
    public string Description => Options.Method + " " + Options.Url.OriginalString;

    /// <inheritdoc />
    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        // Resolve once here so that workers (and their reconnects) do not each ask DNS.
        if (_endPoint is DnsEndPoint dns)
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new TargetUnreachableException($"cannot resolve host '{dns.Host}': {ex.Message}", ex);
            }

            if (addresses.Length == 0)
            {
                throw new TargetUnreachableException($"cannot resolve host '{dns.Host}'");
            }

            _endPoint = new IPEndPoint(Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0], dns.Port);
        }

        using var socket = HttpConnection.CreateSocket(_endPoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_endPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new TargetUnreachableException($"cannot connect to {Options.Url.Authority}: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnreachableException($"cannot connect to {Options.Url.Authority}: no answer within {Options.ConnectTimeout.TotalSeconds:0.#} s", ex);
        }
    }

    /// <inheritdoc />
    public IRequestSender CreateSender() => new HttpConnection(_template, _endPoint, Options.ConnectTimeout);

    private static void Validate(HttpTargetOptions options)
    {
        var url = options.Url ?? throw new ArgumentException("A URL is required.", nameof(options));
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{url}' is not an absolute URL; use e.g. http://127.0.0.1:8080/ping", nameof(options));
        }

        if (url.Scheme == Uri.UriSchemeHttps)
        {
            throw new ArgumentException("https targets are not supported yet: the lean client speaks plain HTTP/1.1 only", nameof(options));
        }

        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"unsupported URL scheme '{url.Scheme}': use http://host:port/path", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Method) || !options.Method.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"'{options.Method}' is not an HTTP method; use e.g. GET or POST", nameof(options));
        }

        foreach (var (name, value) in options.Headers)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains(':', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"invalid header '{name}: {value}'", nameof(options));
            }
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The connect timeout must be positive.", nameof(options));
        }
    }
}
