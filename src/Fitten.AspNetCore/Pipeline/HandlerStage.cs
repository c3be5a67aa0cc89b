using System.Runtime.CompilerServices;
using Fitten.Codecs;
using Fitten.Pipeline;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// The last server stage: runs the user's handler and turns whatever it throws into an outcome. This is the one
/// place where exceptions become statuses, for RPC and HTTP/JSON alike; details stay in the server's log.
/// </summary>
internal sealed class HandlerStage<TRequest, TResponse>(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler, ILogger logger)
{
    public ValueTask<CallOutcome<TResponse>> InvokeAsync(TRequest request, ServerCallContext context)
    {
        ValueTask<TResponse> pending;
        try
        {
            pending = handler(request, context);
        }
        catch (Exception ex)
        {
            return new(Map(ex, context));
        }

        return pending.IsCompletedSuccessfully
            ? new(CallOutcome<TResponse>.Success(pending.Result, context.ResponseHeadersOrNull))
            : AwaitAsync(pending, context);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CallOutcome<TResponse>> AwaitAsync(ValueTask<TResponse> pending, ServerCallContext context)
    {
        try
        {
            return CallOutcome<TResponse>.Success(await pending.ConfigureAwait(false), context.ResponseHeadersOrNull);
        }
        catch (Exception ex)
        {
            return Map(ex, context);
        }
    }

    private CallOutcome<TResponse> Map(Exception exception, ServerCallContext context)
        => ServerExceptions.ToOutcome<TResponse>(exception, context, method.FullName, logger);
}

/// <summary>Exception → status, for the handler stage and for the front ends' own late failures (encoding a response).</summary>
internal static partial class ServerExceptions
{
    public static CallOutcome<TResponse> ToOutcome<TResponse>(Exception exception, ServerCallContext? context, string method, ILogger logger)
    {
        var headers = context?.ResponseHeadersOrNull;
        switch (exception)
        {
            case RpcException rpc:
                return rpc.StatusCode == StatusCode.OK
                    ? CallOutcome<TResponse>.Failure(StatusCode.Unknown, "The handler threw an RpcException with status OK.", responseHeaders: headers)
                    : CallOutcome<TResponse>.Failure(rpc.StatusCode, rpc.Status.Message, responseHeaders: rpc.ResponseHeaders ?? headers);
            case OperationCanceledException when context is { CancellationToken.IsCancellationRequested: true }:
                var status = context.CancellationStatus;
                return CallOutcome<TResponse>.Failure(status, status switch
                {
                    StatusCode.Cancelled => "Call cancelled by the client.",
                    StatusCode.Unavailable => "Connection lost.",
                    _ => "Deadline exceeded.",
                }, responseHeaders: headers);
            case JsonMetadataException metadata:
                // A server configuration error, not the caller's: said in the log with the fix, answered INTERNAL.
                JsonMetadataMissing(logger, method, metadata.Message);
                return CallOutcome<TResponse>.Failure(StatusCode.Internal, "The server has no JSON metadata for a type of this method; see its log.", responseHeaders: headers);
            default:
                HandlerFailed(logger, exception, method, context?.Peer);
                return CallOutcome<TResponse>.Failure(StatusCode.Internal, "Exception was thrown by handler.", responseHeaders: headers);
        }
    }

    [LoggerMessage(5, LogLevel.Error, "Handler of {Method} threw (peer {Peer}); the client gets INTERNAL.", EventName = "HandlerFailed")]
    private static partial void HandlerFailed(ILogger logger, Exception exception, string method, string? peer);

    [LoggerMessage(6, LogLevel.Error, "{Method} cannot be served with JSON: {Reason}", EventName = "JsonMetadataMissing")]
    private static partial void JsonMetadataMissing(ILogger logger, string method, string reason);
}
