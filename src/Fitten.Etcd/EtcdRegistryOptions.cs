namespace Fitten.Etcd;

/// <summary>Options of an <see cref="EtcdRegistry"/>. Checked when the registry is created.</summary>
public sealed class EtcdRegistryOptions
{
    /// <summary>The etcd endpoint, e.g. "http://127.0.0.1:2379". Default: that address, etcd's default client URL.</summary>
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

    /// <summary>First wait before retrying after etcd failed; doubles up to 5 s. Default: 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws when any option is out of range.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Endpoint '{Endpoint}' must be an absolute http:// or https:// URL.", nameof(Endpoint));
        }

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
}
