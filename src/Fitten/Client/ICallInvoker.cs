namespace Fitten.Client;

/// <summary>
/// Makes unary calls. Implemented by <see cref="FittenChannel"/> (one endpoint) and <see cref="ServiceChannel"/>
/// (a service's instances, load-balanced), so generated clients can target either.
/// </summary>
public interface ICallInvoker
{
    /// <summary>Makes a unary call; completes with the response or throws <see cref="RpcException"/> with the call's status.</summary>
    ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default);
}
