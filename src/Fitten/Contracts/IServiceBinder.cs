namespace Fitten;

/// <summary>Receives a contract's server methods; the hosting layer implements it. Generated code calls it.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface IServiceBinder
{
    /// <summary>Serves <paramref name="method"/> with <paramref name="handler"/>.</summary>
    void AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler);
}
