using System.Diagnostics;
using System.Runtime.CompilerServices;
using Fitten.Resilience;
using Microsoft.Extensions.Logging;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// A method's circuit breaker (the method breaker of DESIGN §2), inside the retry stage so each attempt passes it:
/// while the breaker is open an attempt fails at once, not processed, marked <see cref="FittenHeaders.CircuitOpen"/>
/// (never retried; a fallback may answer it). Fitten's own strategy, because Polly's breaker neither counts slow
/// calls nor takes more than one half-open probe. Absent for methods without a breaker.
/// </summary>
internal sealed partial class CircuitBreakerStage(ClientPolicyOptions policies, ILogger logger) : ClientInterceptor, IComposedClientStage
{
    /// <summary>The log category of client governance (event ids 300–399).</summary>
    public const string LogCategory = "Fitten.Client.Governance";

    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => policy.CircuitBreaker is { } breaker ? new Bound<TRequest, TResponse>(method, breaker, logger, next).InvokeAsync : next;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => Compose(call.Method, policies.Resolve(call.Method), next)(call);

    [LoggerMessage(EventId = 300, EventName = "CircuitOpened", Level = LogLevel.Warning, Message = "Circuit breaker of {Method} opened: {Reason}.")]
    private static partial void LogOpened(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 301, EventName = "CircuitHalfOpen", Level = LogLevel.Information, Message = "Circuit breaker of {Method} half-open: {Reason}; probing.")]
    private static partial void LogHalfOpen(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 302, EventName = "CircuitClosed", Level = LogLevel.Information, Message = "Circuit breaker of {Method} closed: {Reason}.")]
    private static partial void LogClosed(ILogger logger, string method, string reason);

    /// <summary>The outcome of an attempt <paramref name="breaker"/> did not let through: not sent, marked, counted.</summary>
    internal static CallOutcome<TResponse> Rejected<TRequest, TResponse>(CircuitBreaker breaker, Method<TRequest, TResponse> method)
    {
        ResilienceTelemetry.BreakerRejected(method.ServiceName, method.Name);
        long left = Math.Max(0, breaker.OpenUntilMs - Environment.TickCount64);
        return CallOutcome<TResponse>.Failure(
            StatusCode.Unavailable,
            breaker.State == CircuitState.Open
                ? $"The circuit breaker of {method.FullName} is open for {left} ms more; the call was not sent."
                : $"The circuit breaker of {method.FullName} is half-open and its probes are out; the call was not sent.",
            notProcessed: true,
            new Metadata().Add(FittenHeaders.CircuitOpen, "true"));
    }

    private sealed class Bound<TRequest, TResponse> : IInlineStage<TRequest, TResponse>
    {
        private readonly Method<TRequest, TResponse> _method;
        private readonly CircuitBreaker _breaker;
        private readonly CallHandler<TRequest, TResponse> _next;

        public Bound(Method<TRequest, TResponse> method, CircuitBreakerPolicy policy, ILogger logger, CallHandler<TRequest, TResponse> next)
        {
            _method = method;
            _next = next;
            _breaker = new CircuitBreaker(policy, (from, to, reason) =>
            {
                ResilienceTelemetry.BreakerMoved(method.ServiceName, method.Name, from, to);
                switch (to)
                {
                    case CircuitState.Open:
                        LogOpened(logger, method.FullName, reason);
                        break;
                    case CircuitState.HalfOpen:
                        LogHalfOpen(logger, method.FullName, reason);
                        break;
                    default:
                        LogClosed(logger, method.FullName, reason);
                        break;
                }
            });
        }

        public bool Contribute(InlineGovernance<TRequest, TResponse> governance)
        {
            governance.Breaker = _breaker;
            return true;
        }

        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call)
            => _breaker.TryEnter(out int probe) ? ObserveAsync(call, probe) : new(Rejected(_breaker, _method));

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<CallOutcome<TResponse>> ObserveAsync(OutgoingCall<TRequest, TResponse> call, int probe)
        {
            long start = Stopwatch.GetTimestamp();
            CallOutcome<TResponse> outcome;
            try
            {
                outcome = await _next(call).ConfigureAwait(false);
            }
            catch
            {
                if (probe != 0)
                {
                    _breaker.OnProbeAbandoned(probe);
                }

                throw;
            }

            _breaker.OnOutcome(outcome, Stopwatch.GetTimestamp() - start, probe);
            return outcome;
        }
    }
}
