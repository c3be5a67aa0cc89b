namespace Fitten.Etcd;

/// <summary>
/// Options of an <see cref="EtcdRegistry"/>. Checked when the registry is created; from configuration
/// (<c>Fitten:Registry:Etcd</c>, see <see cref="EtcdServiceCollectionExtensions.AddEtcdRegistryKind"/>) when the host starts.
/// </summary>
public sealed class EtcdRegistryOptions
{
    /// <summary>
    /// The etcd endpoint, e.g. "http://127.0.0.1:2379", or several members of one cluster separated by commas
    /// (as etcdctl's <c>--endpoints</c>): they are tried in order, and the registry moves to the next when one
    /// fails. All must use one scheme. Default: "http://127.0.0.1:2379", etcd's default client URL.
    /// </summary>
    public string Endpoint { get; set; } = "http://127.0.0.1:2379";

    /// <summary>Key prefix under which services are stored as <c>{prefix}{service}/{host:port}</c>. Default: "/fitten/services/". Must end with '/'.</summary>
    public string Prefix { get; set; } = "/fitten/services/";

    /// <summary>
    /// Lifetime of the lease registrations live under; kept alive every third of it. An instance whose process
    /// dies without deregistering disappears this long after its last keep-alive. Default: 10 s, go-zero's. Range 2 s to 1 h
    /// (etcd does not grant leases much shorter than 2 s).
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one request to etcd may take. Default: 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before retrying after etcd failed; grows ×1.6 with ±20% jitter up to 5 s. Default: 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws when any option is out of range.</summary>
    public void Validate()
    {
        _ = Endpoints();
        if (string.IsNullOrEmpty(Prefix) || Prefix[^1] != '/')
        {
            throw new ArgumentException("Prefix must end with '/'.", nameof(Prefix));
        }

        if (LeaseTtl < TimeSpan.FromSeconds(2) || LeaseTtl > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseTtl), LeaseTtl, "LeaseTtl must be between 2 s and 1 h.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be positive.");
        }

        if (RetryDelay <= TimeSpan.Zero || RetryDelay > TimeSpan.FromSeconds(5))
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must be positive and at most 5 s.");
        }
    }

    /// <summary>The endpoints <see cref="Endpoint"/> lists, checked: at least one, each an absolute http(s) URL, one scheme for all.</summary>
    internal Uri[] Endpoints()
    {
        string[] parts = (Endpoint ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Endpoint must name at least one etcd endpoint, e.g. http://127.0.0.1:2379.", nameof(Endpoint));
        }

        var endpoints = new Uri[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!Uri.TryCreate(parts[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Endpoint '{parts[i]}' must be an absolute http:// or https:// URL.", nameof(Endpoint));
            }

            if (i > 0 && uri.Scheme != endpoints[0].Scheme)
            {
                throw new ArgumentException($"Endpoints '{Endpoint}' mix http and https; one cluster uses one scheme.", nameof(Endpoint));
            }

            endpoints[i] = uri;
        }

        return endpoints;
    }
}
