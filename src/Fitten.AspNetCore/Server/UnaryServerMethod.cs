using System.Runtime.CompilerServices;

namespace Fitten.AspNetCore.Server;

/// <summary>A unary method bound to a handler delegate.</summary>
internal sealed class UnaryServerMethod<TRequest, TResponse> : ServerMethod
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly Func<TRequest, ServerCallContext, ValueTask<TResponse>> _handler;

    public UnaryServerMethod(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler)
        : base(method.ServiceName, method.Name, method.FullName)
    {
        _method = method;
        _handler = handler;
    }

    public override ValueTask InvokeAsync(ServerCall call)
    {
        TRequest request;
        try
        {
            request = _method.RequestMarshaller.Deserialize(call.RequestMessage);
        }
        catch (Exception ex)
        {
            call.SetStatus(StatusCode.InvalidArgument, $"Failed to decode the request of {FullName}: {ex.Message}");
            return default;
        }

        var pending = _handler(request, call);
        if (pending.IsCompletedSuccessfully)
        {
            _method.ResponseMarshaller.Serialize(pending.Result, call.ResponseBody);
            return default;
        }

        return AwaitAndSerializeAsync(pending, call);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAndSerializeAsync(ValueTask<TResponse> pending, ServerCall call)
    {
        var response = await pending.ConfigureAwait(false);
        _method.ResponseMarshaller.Serialize(response, call.ResponseBody);
    }
}
