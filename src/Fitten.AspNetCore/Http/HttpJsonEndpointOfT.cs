using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Fitten.Codecs;
using Fitten.Pipeline;
using Microsoft.AspNetCore.Http;
using Fitten.AspNetCore.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Http;

/// <summary>
/// Serves one method over HTTP/JSON with the same handler Fitten RPC calls. The body is buffered up to the
/// server's frame size limit and decoded before the handler runs; when the body has already arrived and the
/// handler completes synchronously, the whole request runs without an async state machine.
/// </summary>
internal sealed class HttpJsonEndpoint<TRequest, TResponse> : HttpJsonEndpoint
{

    private readonly Method<TRequest, TResponse> _method;
    private readonly ServerCallHandler<TRequest, TResponse> _pipeline;
    private readonly ServerPipeline _server;
    private readonly JsonArguments<TRequest> _arguments;
    private readonly Marshaller<TResponse> _response;
    private readonly JsonCodec _codec;
    private readonly long _maxBody;
    private readonly ILogger _logger;
    private readonly bool _routeReadsBody;

    public HttpJsonEndpoint(
        Method<TRequest, TResponse> method, ServerCallHandler<TRequest, TResponse> pipeline, ServerPipeline server, JsonArguments<TRequest> arguments,
        ContractMethod descriptor, JsonCodec codec, long maxBody, ILogger logger)
        : base(descriptor, method.ServiceName)
    {
        _method = method;
        _pipeline = pipeline;
        _server = server;
        _arguments = arguments;
        _codec = codec;
        _response = codec.CreateValueMarshaller<TResponse>();
        _maxBody = maxBody;
        _logger = logger;
        _routeReadsBody = descriptor.Parameters.Any(static p => p.Source == HttpParameterSource.Body);
    }

    public override Task HandleDefaultAsync(HttpContext context) => HandleAsync(context, route: false);

    public override Task HandleRouteAsync(HttpContext context) => HandleAsync(context, route: true);

    private Task HandleAsync(HttpContext context, bool route)
    {
        if (route && !_routeReadsBody)
        {
            return Decode(context, default, route, out var request) is { } error ? error : Invoke(context, request);
        }

        var http = context.Request;
        if (http.ContentLength > _maxBody)
        {
            return TooLarge(context);
        }

        // A body must say it is JSON: one without a content type (or with one a form can send) is a request a
        // browser sends cross-site with no CORS preflight, so taking it would let any web page call the method.
        if (http.ContentType is null ? HasBody(context) : !http.HasJsonContentType())
        {
            return ProblemResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument,
                http.ContentType is null
                    ? $"Send the body of {_method.FullName} with Content-Type: application/json."
                    : $"Send the body of {_method.FullName} as application/json, not {http.ContentType}.",
                _method.FullName);
        }

        var body = http.BodyReader;
        if (body.TryRead(out var result))
        {
            if (result.IsCompleted)
            {
                return DecodeAndInvoke(context, body, result.Buffer, route);
            }

            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        return ReadBodyAsync(context, body, route);
    }

    /// <summary>False only when the request certainly has no body (Content-Length: 0, or none and not chunked).</summary>
    private static bool HasBody(HttpContext context)
        => context.Request.ContentLength is { } length
            ? length > 0
            : context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    private async Task ReadBodyAsync(HttpContext context, PipeReader body, bool route)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await body.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
            {
                return; // the client went away or sent a broken body; Kestrel answers or resets on its own
            }

            if (result.IsCompleted || result.Buffer.Length > _maxBody)
            {
                await DecodeAndInvoke(context, body, result.Buffer, route).ConfigureAwait(false);
                return;
            }

            body.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private Task DecodeAndInvoke(HttpContext context, PipeReader body, ReadOnlySequence<byte> buffer, bool route)
    {
        if (buffer.Length > _maxBody)
        {
            body.AdvanceTo(buffer.End);
            return TooLarge(context);
        }

        // Decode while the buffer is ours, then hand it back before the handler runs.
        var error = Decode(context, buffer, route, out var request);
        body.AdvanceTo(buffer.End);
        return error ?? Invoke(context, request);
    }

    /// <summary>Decodes the request; on failure writes the problem and returns its task.</summary>
    private Task? Decode(HttpContext context, ReadOnlySequence<byte> buffer, bool route, out TRequest request)
    {
        try
        {
            if (route)
            {
                request = _arguments.ReadHttp(new HttpArguments(context, buffer, _codec.ReaderOptions), _codec.Options);
            }
            else
            {
                request = _codec.ReadArguments(_arguments, buffer);
            }

            return null;
        }
        catch (JsonMetadataException ex)
        {
            request = default!;
            return Fail(context, ex);
        }
        catch (Exception ex)
        {
            request = default!;
            string detail = _server.DecodeFailed(ex, _method.FullName, buffer, _codec.ReaderOptions, context.Connection.RemoteIpAddress?.ToString());
            return ProblemResponse.WriteAsync(context, StatusCode.InvalidArgument, detail, _method.FullName);
        }
    }

    /// <summary>
    /// Runs the method's server pipeline (the same one Fitten RPC runs) with the call as the ambient context, then
    /// writes its outcome: the response as JSON, or the status as problem details.
    /// </summary>
    private Task Invoke(HttpContext context, TRequest request)
    {
        if (HttpServerCallContext.Create(context, _method, out string? error) is not { } call)
        {
            return ProblemResponse.WriteAsync(context, StatusCode.InvalidArgument, error!, _method.FullName);
        }

        call.ResponseMarshaller = _response;
        ValueTask<CallOutcome<TResponse>> pending;
        var previous = ServerCallContext.Current;
        ServerCallContext.SetCurrent(call);
        try
        {
            pending = _pipeline(request, call);
        }
        finally
        {
            // The handler's own flow captured the context; the request pipeline above this endpoint must not see it.
            ServerCallContext.SetCurrent(previous);
        }

        if (pending.IsCompletedSuccessfully)
        {
            call.End();
            return Write(context, pending.Result, call);
        }

        return AwaitAsync(context, pending, call);
    }

    private async Task AwaitAsync(HttpContext context, ValueTask<CallOutcome<TResponse>> pending, HttpServerCallContext call)
    {
        var outcome = await pending.ConfigureAwait(false);
        call.End();
        await Write(context, outcome, call).ConfigureAwait(false);
    }

    private Task Write(HttpContext context, in CallOutcome<TResponse> outcome, HttpServerCallContext call)
    {
        var response = context.Response;
        var headers = outcome.ResponseHeaders ?? call.ResponseHeadersOrNull;
        if (!outcome.IsOk)
        {
            // A client that went away gets nothing: there is nobody left to answer.
            return outcome.Status.Code == StatusCode.Cancelled && context.RequestAborted.IsCancellationRequested
                ? Task.CompletedTask
                : ProblemResponse.WriteAsync(context, outcome.Status.Code, outcome.Status.Message, _method.FullName, headers);
        }

        ProblemResponse.AddHeaders(response, headers);

        if (typeof(TResponse) == typeof(Unit))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        // Encoded by the pipeline (ResponseEncodingStage) into the call's buffer: one write, with Content-Length.
        var body = call.ResponseBody;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }

    /// <summary>A failure outside the pipeline (decoding the request, encoding the response): the same mapping.</summary>
    private Task Fail(HttpContext context, Exception exception, ServerCallContext? call = null)
    {
        var outcome = ServerExceptions.ToOutcome<TResponse>(exception, call, _method.FullName, _logger);
        return ProblemResponse.WriteAsync(context, outcome.Status.Code, outcome.Status.Message, _method.FullName);
    }

    private Task TooLarge(HttpContext context)
        => ProblemResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
            $"The request body of {_method.FullName} exceeds the server's limit of {_maxBody} bytes.", _method.FullName);
}
