using System.Runtime.CompilerServices;
using System.Text;
using Fitten.AspNetCore.Pipeline;
using Fitten.Codecs;
using Fitten.Pipeline;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// A unary method bound to its composed server pipeline (stages + handler), in its default codec and any other
/// codec that can carry it. Fitten RPC calls it through <see cref="InvokeAsync"/>; its HTTP/JSON endpoint runs
/// the same pipeline.
/// </summary>
internal sealed class UnaryServerMethod<TRequest, TResponse> : ServerMethod
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly ServerCallHandler<TRequest, TResponse> _pipeline;
    private readonly (byte[] Name, MethodCodec<TRequest, TResponse> Codec)[] _codecs;
    private readonly ServerPipeline _server;
    private readonly System.Text.Json.JsonReaderOptions _jsonReader;

    public UnaryServerMethod(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler, ServerPipeline pipeline, IEnumerable<FittenCodec>? codecs = null)
        : base(method.ServiceName, method.Name, method.FullName)
    {
        _method = method;
        _pipeline = pipeline.Build(method, handler);
        _server = pipeline;
        var bound = new List<(byte[], MethodCodec<TRequest, TResponse>)>
        {
            (Encoding.UTF8.GetBytes(method.DefaultCodecName), method.GetCodec(null)!),
        };
        foreach (var codec in codecs ?? [])
        {
            if (codec.Name != method.DefaultCodecName && codec.Bind(method) is { } binding)
            {
                bound.Add((Encoding.UTF8.GetBytes(codec.Name), binding));
                if (codec is JsonCodec json)
                {
                    _jsonReader = json.ReaderOptions;
                }
            }
        }

        _codecs = [.. bound];
    }

    public override Http.HttpJsonEndpoint? CreateHttpEndpoint(ContractMethod descriptor, JsonCodec codec, long maxBody, Microsoft.Extensions.Logging.ILogger logger)
        => _method.JsonArguments is { } arguments
            ? new Http.HttpJsonEndpoint<TRequest, TResponse>(_method, _pipeline, _server, arguments, descriptor, codec, maxBody, logger)
            : null;

    public override ValueTask InvokeAsync(ServerCall call)
    {
        var codec = FindCodec(call.CodecUtf8);
        if (codec is null)
        {
            call.SetStatus(StatusCode.InvalidArgument, $"{FullName} cannot be called with codec '{call.Codec}'; it speaks {string.Join(", ", _codecs.Select(static c => Encoding.UTF8.GetString(c.Name)))}.");
            return default;
        }

        TRequest request;
        try
        {
            request = codec.Request.Deserialize(call.RequestMessage);
        }
        catch (JsonMetadataException)
        {
            // A server configuration error, not the caller's: mapped (and logged) like a handler failure.
            throw;
        }
        catch (Exception ex)
        {
            // The message is the tail of the request payload (after its metadata).
            var message = call.RequestPayload.WrittenMemory[^call.RequestMessage.Length..];
            call.SetStatus(StatusCode.InvalidArgument, _server.DecodeFailed(ex, FullName, new(message), _jsonReader, call.Peer));
            return default;
        }

        // The pipeline encodes the response with this codec (ResponseEncodingStage), inside its telemetry.
        call.ResponseMarshaller = codec.Response;
        var pending = _pipeline(request, call);
        if (pending.IsCompletedSuccessfully)
        {
            Answer(pending.Result, call);
            return default;
        }

        return AwaitAndAnswerAsync(pending, call);
    }

    /// <summary>Takes the outcome: the response is already in the call's buffer; a failure becomes the call's status.</summary>
    private static void Answer(in CallOutcome<TResponse> outcome, ServerCall call)
    {
        call.SetResponseHeaders(outcome.ResponseHeaders);
        if (!outcome.IsOk)
        {
            call.SetStatus(outcome.Status.Code, outcome.Status.Message);
        }
    }

    private MethodCodec<TRequest, TResponse>? FindCodec(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return _codecs[0].Codec;
        }

        foreach (var (codecName, codec) in _codecs)
        {
            if (name.SequenceEqual(codecName))
            {
                return codec;
            }
        }

        return null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitAndAnswerAsync(ValueTask<CallOutcome<TResponse>> pending, ServerCall call)
        => Answer(await pending.ConfigureAwait(false), call);
}
