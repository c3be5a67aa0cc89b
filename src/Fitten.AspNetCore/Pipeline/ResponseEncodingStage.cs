using System.Runtime.CompilerServices;
using Fitten.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// Encodes a successful outcome's response with the front end's codec (RPC: the call's codec into its response
/// buffer; HTTP/JSON: JSON into the request's buffer) inside the pipeline, right below telemetry: a response that
/// fails to encode is an INTERNAL outcome that the span and metrics see, not an OK one that later turns into an error.
/// It sits above the user's interceptors, so the response it encodes is the one they let through.
/// </summary>
internal sealed class ResponseEncodingStage(ILogger logger) : ServerInterceptor, IComposedServerStage
{
    public ServerCallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallHandler<TRequest, TResponse> next)
        => (request, context) => Run(request, context, next);

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
        => Run(request, context, next);

    private ValueTask<CallOutcome<TResponse>> Run<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
    {
        var pending = next(request, context);
        return pending.IsCompletedSuccessfully ? new(Encode(pending.Result, context)) : EncodeAsync(pending, context);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CallOutcome<TResponse>> EncodeAsync<TResponse>(ValueTask<CallOutcome<TResponse>> pending, ServerCallContext context)
        => Encode(await pending.ConfigureAwait(false), context);

    private CallOutcome<TResponse> Encode<TResponse>(CallOutcome<TResponse> outcome, ServerCallContext context)
    {
        if (!outcome.IsOk || context.EncodeResponse(outcome.Response!) is not { } failure)
        {
            return outcome;
        }

        return ServerExceptions.ToOutcome<TResponse>(failure, context, context.Method, logger);
    }
}
