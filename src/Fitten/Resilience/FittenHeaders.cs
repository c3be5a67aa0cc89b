namespace Fitten.Resilience;

/// <summary>Metadata keys Fitten itself reads and writes, as header entries (one hop) of requests and responses.</summary>
public static class FittenHeaders
{
    /// <summary>
    /// On a request: which attempt of its call it is, "1" for the first retry or hedge (absent on a first attempt).
    /// A server's onward calls made while serving such a request are not retried (chain stop), so one failure deep in
    /// a call chain is retried once, where it happened, not at every hop above it.
    /// </summary>
    public const string Attempt = "fitten-attempt";

    /// <summary>
    /// On a response: the server's retry-after hint in milliseconds (gRPC's <c>grpc-retry-pushback-ms</c>). A client
    /// retries a RESOURCE_EXHAUSTED call only when it carries one, and waits that long first; a negative or
    /// unreadable value means "do not retry".
    /// </summary>
    public const string RetryPushbackMs = "fitten-retry-pushback-ms";
}
