namespace Fitten.Pipeline.Stages;

/// <summary>
/// A built-in client stage that binds itself to one method when the pipeline is composed: the returned handler is a
/// typed object's method, so a call through it costs a delegate call, not a generic virtual dispatch, and whatever
/// the stage can work out per method (from the method's resolved policy: its timeout, its retries) is worked out once.
/// </summary>
internal interface IComposedClientStage
{
    CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, Resilience.MethodPolicy policy, CallHandler<TRequest, TResponse> next);
}
