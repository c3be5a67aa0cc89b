using System.Runtime.CompilerServices;
using Fitten.Resilience;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// A method's fallback, outside the retry stage so it sees the call's last outcome after every attempt: a call the
/// breaker refused, the retry budget left failed, or whose time ran out is answered by the fallback instead, as a
/// success marked <see cref="FittenHeaders.Fallback"/>. Polly's fallback strategy does the same on exceptions; here
/// outcomes are values, so the stage is a few lines of Fitten's own. Absent for methods without a fallback.
/// </summary>
internal sealed class FallbackStage(ClientPolicyOptions policies) : ClientInterceptor, IComposedClientStage
{
    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => policies.GetFallback(method) is { } fallback ? new Bound<TRequest, TResponse>(fallback, next).InvokeAsync : next;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => Compose(call.Method, policies.Resolve(call.Method), next)(call);

    /// <summary>Why a fallback should answer <paramref name="outcome"/>, or null when it should not.</summary>
    internal static string? Reason<TResponse>(in CallOutcome<TResponse> outcome)
        => outcome.IsOk ? null
            : outcome.ResponseHeaders?.GetValue(FittenHeaders.CircuitOpen) is not null ? "circuit_open"
            : outcome.ResponseHeaders?.GetValue(FittenHeaders.RetryBudgetExhausted) is not null ? "retry_budget"
            : outcome.Status.Code == StatusCode.DeadlineExceeded ? "deadline"
            : null;

    private sealed class Bound<TRequest, TResponse>(CallFallback<TRequest, TResponse> fallback, CallHandler<TRequest, TResponse> next)
    {
        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call)
        {
            var pending = next(call);
            if (!pending.IsCompletedSuccessfully)
            {
                return AnswerAsync(pending, call);
            }

            // Read once: over a pooled source the ValueTask is spent now, so it is never handed on, its value is.
            var outcome = pending.Result;
            return Reason(outcome) is null ? new(outcome) : AnswerAsync(new(outcome), call);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<CallOutcome<TResponse>> AnswerAsync(ValueTask<CallOutcome<TResponse>> pending, OutgoingCall<TRequest, TResponse> call)
        {
            var outcome = await pending.ConfigureAwait(false);
            if (Reason(outcome) is not { } reason)
            {
                return outcome;
            }

            TResponse response;
            try
            {
                response = await fallback(call.Request, outcome).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                // A fallback with nothing to answer rethrows the failure (or another status): an outcome, as stages speak.
                return CallOutcome<TResponse>.Failure(ex.StatusCode, ex.Status.Message, ex.NotProcessed, ex.ResponseHeaders);
            }

            ResilienceTelemetry.FellBack(call.Method.ServiceName, call.Method.Name, reason);
            return CallOutcome<TResponse>.Success(response, new Metadata().Add(FittenHeaders.Fallback, reason));
        }
    }
}
