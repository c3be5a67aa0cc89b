namespace Fitten.Client;

/// <summary>
/// Makes unary calls. Generated clients call through this, so one contract's client works over a single endpoint
/// (<see cref="FittenChannel"/>) or anything that picks endpoints per call.
/// </summary>
public interface ICallInvoker
{
    /// <summary>Makes a unary call; throws <see cref="RpcException"/> when the status is not OK.</summary>
    ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default);
}
