using System.Buffers;
using System.Text.Json;
using Fitten.AspNetCore.Server;
using Fitten.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// Composes each served method's handler pipeline once, when the server starts. Fitten RPC and HTTP/JSON run the
/// same composed pipeline, so both get the same interceptors, exception-to-status mapping, metrics and span.
/// </summary>
internal sealed partial class ServerPipeline
{
    private readonly ServerInterceptor[] _stages;
    private readonly ILogger _logger;

    public ServerPipeline(IOptions<FittenServerOptions> options, ILoggerFactory loggerFactory, IHostEnvironment? environment = null)
    {
        _logger = loggerFactory.CreateLogger(LogCategory);
        _stages = Compose(options.Value.Interceptors, _logger);
        _development = environment?.IsDevelopment() ?? false;
    }

    private readonly bool _development;

    /// <summary>The log category of handler failures.</summary>
    public const string LogCategory = "Fitten.Server";

    /// <summary>The stages in the order a call passes them before the handler, for diagnostics.</summary>
    public IReadOnlyList<ServerInterceptor> Stages => _stages;

    /// <summary>
    /// THE order of the server's stages, written once. A call passes them top to bottom, then the handler:
    /// <list type="number">
    /// <item>telemetry: the server span (a child of the caller's) and <c>rpc.server.*</c> metrics see everything
    ///   below, refusals by later stages included;</item>
    /// <item>response encoding: a response that cannot be encoded is the call's failure, seen by telemetry;</item>
    /// <item>(server governance and security add here: admission — rate, concurrency, shedding —, authentication
    ///   and authorization, deadline, fault injection)</item>
    /// <item>the user's interceptors, right before the handler;</item>
    /// <item>the handler, whose exceptions become outcomes in one place (<see cref="HandlerStage{TRequest, TResponse}"/>).</item>
    /// </list>
    /// </summary>
    private static ServerInterceptor[] Compose(IEnumerable<ServerInterceptor> interceptors, ILogger logger)
    {
        var stages = new List<ServerInterceptor> { ServerTelemetryStage.Instance, new ResponseEncodingStage(logger) };
        foreach (var interceptor in interceptors)
        {
            stages.Add(interceptor ?? throw new InvalidOperationException("A server interceptor in FittenServerOptions.Interceptors is null."));
        }

        return [.. stages];
    }

    /// <summary>
    /// Logs a request of <paramref name="method"/> that did not decode and returns what its caller is told (the
    /// exception's own text only in Development, as ASP.NET Core does).
    /// </summary>
    public string DecodeFailed(Exception exception, string method, ReadOnlySequence<byte> payload, in JsonReaderOptions json, string? peer)
        => ServerExceptions.DecodeFailed(exception, method, payload, json, _development, _logger, peer);

    /// <summary>Composes <paramref name="handler"/> with every stage, for one method.</summary>
    public ServerCallHandler<TRequest, TResponse> Build<TRequest, TResponse>(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler)
    {
        ServerCallHandler<TRequest, TResponse> next = new HandlerStage<TRequest, TResponse>(method, handler, _logger).InvokeAsync;
        for (int i = _stages.Length - 1; i >= 0; i--)
        {
            var stage = _stages[i];
            var inner = next;
            next = stage is IComposedServerStage composed ? composed.Compose(method, inner) : (request, context) => stage.InvokeAsync(request, context, inner);
        }

        return next;
    }
}
