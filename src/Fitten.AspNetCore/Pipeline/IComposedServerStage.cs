using Fitten.Pipeline;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// A built-in server stage that binds itself to one method when the pipeline is composed, so a call through it costs
/// a delegate call, not a generic virtual dispatch.
/// </summary>
internal interface IComposedServerStage
{
    ServerCallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallHandler<TRequest, TResponse> next);
}
