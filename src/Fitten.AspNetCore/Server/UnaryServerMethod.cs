using System.Runtime.CompilerServices;
using System.Text;
using Fitten.Codecs;

namespace Fitten.AspNetCore.Server;

/// <summary>A unary method bound to a handler delegate, in its default codec and any other codec that can carry it.</summary>
internal sealed class UnaryServerMethod<TRequest, TResponse> : ServerMethod
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly Func<TRequest, ServerCallContext, ValueTask<TResponse>> _handler;
    private readonly (byte[] Name, MethodCodec<TRequest, TResponse> Codec)[] _codecs;

    public UnaryServerMethod(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler, IEnumerable<FittenCodec>? codecs = null)
        : base(method.ServiceName, method.Name, method.FullName)
    {
        _method = method;
        _handler = handler;
        var bound = new List<(byte[], MethodCodec<TRequest, TResponse>)>
        {
            (Encoding.UTF8.GetBytes(method.DefaultCodecName), method.GetCodec(null)!),
        };
        foreach (var codec in codecs ?? [])
        {
            if (codec.Name != method.DefaultCodecName && codec.Bind(method) is { } binding)
            {
                bound.Add((Encoding.UTF8.GetBytes(codec.Name), binding));
            }
        }

        _codecs = [.. bound];
    }

    public override Http.HttpJsonEndpoint? CreateHttpEndpoint(ContractMethod descriptor, JsonCodec codec, long maxBody, Microsoft.Extensions.Logging.ILogger logger)
        => _method.JsonArguments is { } arguments
            ? new Http.HttpJsonEndpoint<TRequest, TResponse>(_method, _handler, arguments, descriptor, codec, maxBody, logger)
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
            // A server configuration error, not the caller's: logged as a handler failure, answered INTERNAL.
            throw;
        }
        catch (Exception ex)
        {
            call.SetStatus(StatusCode.InvalidArgument, $"Failed to decode the request of {FullName}: {ex.Message}");
            return default;
        }

        var pending = _handler(request, call);
        if (pending.IsCompletedSuccessfully)
        {
            codec.Response.Serialize(pending.Result, call.ResponseBody);
            return default;
        }

        return AwaitAndSerializeAsync(pending, codec.Response, call);
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
    private static async ValueTask AwaitAndSerializeAsync(ValueTask<TResponse> pending, Marshaller<TResponse> response, ServerCall call)
    {
        var result = await pending.ConfigureAwait(false);
        response.Serialize(result, call.ResponseBody);
    }
}
