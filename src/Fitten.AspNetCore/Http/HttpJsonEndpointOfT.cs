using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Fitten.Codecs;
using Microsoft.AspNetCore.Http;
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
    private readonly Func<TRequest, ServerCallContext, ValueTask<TResponse>> _handler;
    private readonly JsonArguments<TRequest> _arguments;
    private readonly Marshaller<TResponse> _response;
    private readonly JsonCodec _codec;
    private readonly long _maxBody;
    private readonly ILogger _logger;
    private readonly bool _routeReadsBody;

    public HttpJsonEndpoint(
        Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler, JsonArguments<TRequest> arguments,
        ContractMethod descriptor, JsonCodec codec, long maxBody, ILogger logger)
        : base(descriptor, method.ServiceName)
    {
        _method = method;
        _handler = handler;
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

        if (http.ContentType is not null && !http.HasJsonContentType())
        {
            return ProblemResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument,
                $"Send the body of {_method.FullName} as application/json, not {http.ContentType}.", _method.FullName);
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
            return ProblemResponse.WriteAsync(context, StatusCode.InvalidArgument, $"Failed to decode the request of {_method.FullName}: {ex.Message}", _method.FullName);
        }
    }

    private Task Invoke(HttpContext context, TRequest request)
    {
        if (HttpServerCallContext.Create(context, _method.FullName, out string? error) is not { } call)
        {
            return ProblemResponse.WriteAsync(context, StatusCode.InvalidArgument, error!, _method.FullName);
        }

        ValueTask<TResponse> pending;
        try
        {
            pending = _handler(request, call);
        }
        catch (Exception ex)
        {
            return Fail(context, ex, call);
        }

        return pending.IsCompletedSuccessfully ? Write(context, pending.Result) : AwaitAsync(context, pending, call);
    }

    private async Task AwaitAsync(HttpContext context, ValueTask<TResponse> pending, HttpServerCallContext call)
    {
        TResponse result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await Fail(context, ex, call).ConfigureAwait(false);
            return;
        }

        await Write(context, result).ConfigureAwait(false);
    }

    private Task Write(HttpContext context, TResponse result)
    {
        var response = context.Response;
        if (typeof(TResponse) == typeof(Unit))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        try
        {
            // Encoded into a per-thread buffer first so the response carries Content-Length (no chunked framing) and
            // reaches Kestrel in one write.
            var buffer = RentResponseBuffer();
            _response.Serialize(result, buffer);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
            ReturnResponseBuffer(buffer);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Fail(context, ex);
        }
    }

    private Task Fail(HttpContext context, Exception exception, HttpServerCallContext? call = null)
    {
        switch (exception)
        {
            case RpcException rpc:
                return ProblemResponse.WriteAsync(context, rpc.StatusCode, rpc.Status.Message, _method.FullName);
            case OperationCanceledException when call is { DeadlinePassed: true }:
                return ProblemResponse.WriteAsync(context, StatusCode.DeadlineExceeded, "Deadline exceeded.", _method.FullName);
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                return Task.CompletedTask; // nobody is left to answer
            case JsonMetadataException metadata:
                HttpJsonLog.JsonMetadataMissing(_logger, _method.FullName, metadata.Message);
                return ProblemResponse.WriteAsync(context, StatusCode.Internal, "The server has no JSON metadata for a type of this method; see its log.", _method.FullName);
            default:
                // Details stay in the server's log, as over RPC.
                HttpJsonLog.HandlerFailed(_logger, exception, _method.FullName, context.Request.Path);
                return ProblemResponse.WriteAsync(context, StatusCode.Internal, "Exception was thrown by handler.", _method.FullName);
        }
    }

    private Task TooLarge(HttpContext context)
        => ProblemResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted,
            $"The request body of {_method.FullName} exceeds the server's limit of {_maxBody} bytes.", _method.FullName);
}
