using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

/// <summary>Options of the Fitten RPC server. Bound from configuration section "Fitten:Server" and validated at start-up.</summary>
public sealed class FittenServerOptions
{
    /// <summary>
    /// The user's server interceptors, outermost first. They run for every served method over Fitten RPC and
    /// HTTP/JSON alike, inside the call's span and metrics, right before the handler. Default: none.
    /// </summary>
    public IList<Fitten.Pipeline.ServerInterceptor> Interceptors { get; } = [];

    /// <summary>Limits the server enforces on each connection (frame, metadata, concurrency, timeouts).</summary>
    public FittenLimits Limits { get; } = new();

    /// <summary>
    /// Most bytes one connection may hold in the server's memory before the server stops reading it: the request
    /// payloads of its calls in flight, and of calls finished but not yet written, plus the responses and other
    /// frames waiting to be written. Past it the server reads nothing more from that connection until what it
    /// holds is back under half of it, so a client that sends without reading its answers fills its own TCP window,
    /// not the server's memory (docs/protocol.md §6). A request read just before the pause and the responses of
    /// calls already running may go over it by up to one frame each. Default: 4 MiB, room for one request of the
    /// default maximum frame size (or thousands of typical ones) while a thousand connections stay under 4 GiB.
    /// Range 64 KiB to 1 GiB.
    /// </summary>
    public long MaxBufferedBytesPerConnection { get; set; } = DefaultMaxBufferedBytesPerConnection;

    /// <summary>The default of <see cref="MaxBufferedBytesPerConnection"/>: 4 MiB.</summary>
    internal const long DefaultMaxBufferedBytesPerConnection = 4 * 1024 * 1024;

    /// <summary>
    /// On shutdown, how long calls in flight may take to finish after the goaway before their connection closes.
    /// Default: 10 s, a third of the host's default 30 s shutdown timeout so draining ends before the host gives up.
    /// Range 0 to 10 minutes.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On shutdown, how long the host keeps accepting work after <c>/readyz</c> has turned 503, before Kestrel stops
    /// listening and connections drain. Set it to what your load balancer or orchestrator needs to notice (e.g.
    /// probe period × failure threshold in Kubernetes). Default: 0, no delay, as in ASP.NET Core. Range 0 to 5 minutes.
    /// </summary>
    public TimeSpan ReadinessDrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Whether <c>MapFitten()</c> maps every served contract method over HTTP/JSON (<c>POST /{service}/{method}</c> and
    /// its own <c>[HttpGet]</c>-style route). Request bodies are limited to <c>Limits.MaxFrameSize</c>, as RPC messages are.
    /// Default: true.
    /// </summary>
    public bool MapHttpJson { get; set; } = true;

    /// <summary>
    /// Where <c>MapFitten()</c> serves the OpenAPI documents, with <c>{documentName}</c> in it; null maps none (map
    /// them yourself with <c>MapOpenApi</c>). Default: "/openapi/{documentName}.json", so the document is /openapi/v1.json.
    /// </summary>
    public string? OpenApiRoute { get; set; } = "/openapi/{documentName}.json";
}
