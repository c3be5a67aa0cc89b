namespace Fitten.AspNetCore.Server;

/// <summary>A method the server can dispatch to: decodes the request, runs the handler, encodes the response.</summary>
internal abstract class ServerMethod
{
    protected ServerMethod(string serviceName, string name, string fullName)
    {
        ServiceName = serviceName;
        Name = name;
        FullName = fullName;
    }

    public string ServiceName { get; }

    public string Name { get; }

    public string FullName { get; }

    /// <summary>
    /// Runs the call. Either writes the response message into <see cref="ServerCall.ResponseBody"/> and completes,
    /// or sets a status on the call; exceptions are mapped by the caller.
    /// </summary>
    public abstract ValueTask InvokeAsync(ServerCall call);

    /// <summary>The method as an HTTP/JSON endpoint, or null when it has no JSON shape (hand-written methods).</summary>
    public virtual Http.HttpJsonEndpoint? CreateHttpEndpoint(ContractMethod descriptor, Codecs.JsonCodec codec, long maxBody, Microsoft.Extensions.Logging.ILogger logger) => null;
}
