using System.Runtime.CompilerServices;
using Fitten.Resilience;
using Polly;
using Polly.Retry;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// The client's one retry loop: every attempt of a call, after a refusal, a connection that failed before the call
/// was written, an instance that could not be reached (each "not processed"), or a failure of an idempotent method
/// that is safe to repeat. Also applies the per-attempt timeout. The retries themselves run on Polly's retry strategy
/// (its loop, its waits on <see cref="TimeProvider"/>), with Fitten's rules as its predicate and delay generator: the
/// retry budget, chain stop, full-jitter backoff, the server's retry-after hint. The first attempt does not enter
/// Polly: a call that succeeds pays for one counter and no more.
/// </summary>
internal sealed class RetryStage(ClientPolicyOptions policies, RetryBudget budget) : ClientInterceptor, IComposedClientStage
{
    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => policy.NeedsRetryStage ? new Bound<TRequest, TResponse>(policy, policy.RetryBudget ? budget : null, next).InvokeAsync : next;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => Compose(call.Method, policies.Resolve(call.Method), next)(call);

    /// <summary>Whether the call being served is itself a retry: then this call is not retried again (chain stop).</summary>
    internal static bool IsChainStopped(ServerCallContext? inbound)
        => inbound is not null && inbound.RequestHeaders.GetValue(FittenHeaders.Attempt) is not null;

    private sealed class Bound<TRequest, TResponse> : IInlineStage<TRequest, TResponse>, IInlineRetry<TRequest, TResponse>
    {
        private static readonly ResiliencePropertyKey<RetriedCall> AttemptsKey = new("fitten.attempts");

        private readonly MethodPolicy _policy;
        private readonly RetryBudget? _budget;
        private readonly CallHandler<TRequest, TResponse> _next;
        private readonly long _attemptTicks;
        private readonly ResiliencePipeline<CallOutcome<TResponse>>? _retries;

        public Bound(MethodPolicy policy, RetryBudget? budget, CallHandler<TRequest, TResponse> next)
        {
            _policy = policy;
            _budget = budget;
            _next = next;
            _attemptTicks = Attempts.Ticks(policy.AttemptTimeout);
            if (policy.MaxAttempts > 1)
            {
                _retries = new ResiliencePipelineBuilder<CallOutcome<TResponse>>()
                    .AddRetry(new RetryStrategyOptions<CallOutcome<TResponse>>
                    {
                        MaxRetryAttempts = policy.MaxAttempts - 1,
                        ShouldHandle = static args => new ValueTask<bool>(args.Context.Properties.GetValue(AttemptsKey, null!).ShouldRetry(args.Outcome)),
                        DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(AttemptsKey, null!).Delay),
                        OnRetry = static args => args.Context.Properties.GetValue(AttemptsKey, null!).OnRetry(),
                    })
                    .Build();
            }
        }

        public bool Contribute(InlineGovernance<TRequest, TResponse> governance)
        {
            governance.Retry = this;
            return _attemptTicks < 0; // an attempt timeout needs the chain: the first attempt has a deadline of its own
        }

        public void OnCall() => _budget?.OnCall();

        bool IInlineRetry<TRequest, TResponse>.MayRetry(in CallOutcome<TResponse> outcome, in OutgoingCall<TRequest, TResponse> call)
            => _retries is not null && MayRetry(outcome, call, out _);

        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call)
        {
            var first = _next(ForAttempt(call, 0, avoid: null));
            if (_retries is null)
            {
                return first;
            }

            _budget?.OnCall();
            if (!first.IsCompletedSuccessfully)
            {
                return AfterFirstAsync(first, call);
            }

            // Read once: over a pooled source the ValueTask is spent now, so it is never handed on, its value is.
            var outcome = first.Result;
            return MayRetry(outcome, call, out _) ? RetryAsync(call, outcome) : new(outcome);
        }

        /// <summary>
        /// Whether <paramref name="outcome"/> may be retried (the budget aside). While serving a request that is itself
        /// a retry (chain stop), only a call that was never processed is sent again: nothing ran, nothing multiplies.
        /// </summary>
        private bool MayRetry(in CallOutcome<TResponse> outcome, in OutgoingCall<TRequest, TResponse> call, out string reason)
            => RetryRules.MayRetry(outcome, _policy, call.Deadline, call.Options.CancellationToken, out reason)
               && (outcome.NotProcessed || !IsChainStopped(call.Inbound));

        private OutgoingCall<TRequest, TResponse> ForAttempt(in OutgoingCall<TRequest, TResponse> call, int attempt, object? avoid)
            => Attempts.For(call, _attemptTicks, attempt, avoid);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<CallOutcome<TResponse>> AfterFirstAsync(ValueTask<CallOutcome<TResponse>> first, OutgoingCall<TRequest, TResponse> call)
        {
            var outcome = await first.ConfigureAwait(false);
            return MayRetry(outcome, call, out _)
                ? await RetryAsync(call, outcome).ConfigureAwait(false)
                : outcome;
        }

        /// <summary>The retries, on Polly's retry strategy, after a first attempt that may be retried.</summary>
        public async ValueTask<CallOutcome<TResponse>> RetryAsync(OutgoingCall<TRequest, TResponse> call, CallOutcome<TResponse> first)
        {
            var attempts = new RetriedCall(this, call, first);
            var last = await Attempts.RunAsync(_retries!, call, AttemptsKey, attempts, static (_, state) => state.NextAsync()).ConfigureAwait(false);
            if (attempts.BudgetRefused && !last.IsOk)
            {
                // Said on the outcome, so a fallback can answer a call the budget left failed.
                return CallOutcome<TResponse>.Failure(last.Status.Code, last.Status.Message, last.NotProcessed,
                    (last.ResponseHeaders ?? new Metadata()).Add(FittenHeaders.RetryBudgetExhausted, "true"));
            }

            return last;
        }

        /// <summary>One retried call's attempts: the state Polly's callbacks share (only calls that retry make one).</summary>
        private sealed class RetriedCall(Bound<TRequest, TResponse> bound, OutgoingCall<TRequest, TResponse> call, CallOutcome<TResponse> first)
        {
            private CallOutcome<TResponse> _last = first;
            private bool _firstHandedBack;
            private int _made = 1;
            private string _reason = string.Empty;

            public TimeSpan? Delay { get; private set; }

            /// <summary>The last outcome could have been retried, but the budget was spent.</summary>
            public bool BudgetRefused { get; private set; }

            /// <summary>Polly's callback: the first attempt was made before Polly began, so its first call hands that one back.</summary>
            public async ValueTask<Outcome<CallOutcome<TResponse>>> NextAsync()
            {
                if (!_firstHandedBack)
                {
                    _firstHandedBack = true;
                    return Outcome.FromResult(_last);
                }

                int attempt = _made++;
                _last = await bound._next(bound.ForAttempt(call, attempt, _last.Peer)).ConfigureAwait(false);
                return Outcome.FromResult(_last);
            }

            public bool ShouldRetry(Outcome<CallOutcome<TResponse>> outcome)
            {
                // Polly asks before it checks the attempt count: after the last attempt there is no retry to pay for.
                if (_made >= bound._policy.MaxAttempts || outcome.Exception is not null || !bound.MayRetry(_last, call, out _reason))
                {
                    return false;
                }

                var delay = RetryRules.Delay(_last, bound._policy, _made);
                if (delay is not { } wait || (call.Deadline != long.MaxValue && Internal.Deadline.Remaining(call.Deadline) <= wait))
                {
                    return false; // the server asked not to be retried, or the wait would outlast the call
                }

                // A call never processed is sent again outside the budget, as gRPC's transparent retries are: nothing
                // ran, so a retry adds no work where work fails (a refused connection, a busy connection's refusal).
                if (!_last.NotProcessed && bound._budget is { } budget && !budget.TryRetry())
                {
                    ResilienceTelemetry.BudgetExhausted(call.Method.ServiceName, call.Method.Name);
                    BudgetRefused = true;
                    return false;
                }

                Delay = wait;
                return true;
            }

            public ValueTask OnRetry()
            {
                ResilienceTelemetry.Retried(call.Method.ServiceName, call.Method.Name, _reason, _made, Delay ?? TimeSpan.Zero, _last.Status.Code);
                return ValueTask.CompletedTask;
            }
        }
    }
}
