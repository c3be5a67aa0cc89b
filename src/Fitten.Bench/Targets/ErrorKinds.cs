namespace Fitten.Bench.Targets;

/// <summary>The names errors are counted under in results and reports.</summary>
public static class ErrorKinds
{
    /// <summary>The request did not complete within the request timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>A connection could not be opened (refused, unreachable).</summary>
    public const string Connect = "connect";

    /// <summary>An open connection broke while the request was in flight (reset, closed early).</summary>
    public const string Connection = "connection";

    /// <summary>The peer answered something that is not a valid response.</summary>
    public const string Protocol = "protocol";

    // Cached so that counting an error status does not allocate a string per failed request.
    private static readonly string[] HttpStatusNames = CreateHttpStatusNames();

    /// <summary>The kind for an HTTP error status, e.g. <c>http 503</c>.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    public static string ForHttpStatus(int statusCode) =>
        (uint)statusCode < (uint)HttpStatusNames.Length ? HttpStatusNames[statusCode] : "http " + statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Same reason: "rpc UNAVAILABLE" and friends, one string per status code, made once.
    private static readonly string[] RpcStatusNames = CreateRpcStatusNames();

    /// <summary>The kind for a Fitten RPC status other than OK, e.g. <c>rpc UNAVAILABLE</c> (gRPC's spelling).</summary>
    /// <param name="statusCode">The status code.</param>
    public static string ForRpcStatus(int statusCode) =>
        (uint)statusCode < (uint)RpcStatusNames.Length ? RpcStatusNames[statusCode] : "rpc " + statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] CreateRpcStatusNames()
    {
        var names = new string[17];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "rpc " + Status.CodeName((StatusCode)i);
        }

        return names;
    }

    private static string[] CreateHttpStatusNames()
    {
        var names = new string[600];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "http " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return names;
    }
}
