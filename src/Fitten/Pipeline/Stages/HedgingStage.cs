using System.Diagnostics;
using Fitten.Resilience;
using Polly;
using Polly.Hedging;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// Backup requests for a hedging method (in the retry stage's place, which such a method does not have), on Polly's
/// hedging strategy: Polly starts the next attempt when the previous has not answered within the delay (or at once
/// when one failed in a way that is safe to repeat), takes the first answer, and cancels the others, which the
/// transport turns into CANCEL frames. Fitten adds where the attempts go (never to an instance another attempt of
/// the call is on), the adaptive delay (a quantile of the method's recent latencies), the retry budget (a backup is
/// extra load) and chain stop (a request that is itself a retry sends no backups).
/// </summary>
internal sealed class HedgingStage(ClientPolicyOptions policies, RetryBudget budget) : ClientInterceptor, IComposedClientStage
{
    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => policy.Hedging is { } hedging ? new Bound<TRequest, TResponse>(policy, hedging, policy.RetryBudget ? budget : null, next).InvokeAsync : next;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => Compose(call.Method, policies.Resolve(call.Method), next)(call);

    private sealed class Bound<TRequest, TResponse>
    {
        private static readonly ResiliencePropertyKey<HedgedCall> CallKey = new("fitten.hedged-call");

        private readonly MethodPolicy _policy;
        private readonly RetryBudget? _budget;
        private readonly CallHandler<TRequest, TResponse> _next;
        private readonly long _attemptTicks;
        private readonly RecentLatencies? _latencies;
        private readonly ResiliencePipeline<CallOutcome<TResponse>> _hedging;

        public Bound(MethodPolicy policy, HedgingPolicy hedging, RetryBudget? budget, CallHandler<TRequest, TResponse> next)
        {
            _policy = policy;
            _budget = budget;
            _next = next;
            _attemptTicks = Attempts.Ticks(policy.AttemptTimeout);
            long fixedDelayTicks = (long)(hedging.Delay.TotalSeconds * Stopwatch.Frequency);
            if (hedging.DelayQuantile is { } quantile)
            {
                _latencies = new RecentLatencies(quantile);
            }

            var latencies = _latencies;
            _hedging = new ResiliencePipelineBuilder<CallOutcome<TResponse>>()
                .AddHedging(new HedgingStrategyOptions<CallOutcome<TResponse>>
                {
                    MaxHedgedAttempts = hedging.MaxAttempts - 1,
                    DelayGenerator = args => new ValueTask<TimeSpan>(Stopwatch.GetElapsedTime(0, latencies?.Quantile is > 0 and var q ? q : fixedDelayTicks)),
                    ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is null
                        && args.Context.Properties.GetValue(CallKey, null!).MayRepeat(args.Outcome.Result)),
                    ActionGenerator = static args => args.PrimaryContext.Properties.GetValue(CallKey, null!).Backup(args),
                    OnHedging = static args =>
                    {
                        args.PrimaryContext.Properties.GetValue(CallKey, null!).OnHedging(args.AttemptNumber);
                        return default;
                    },
                })
                .Build();
        }

        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call)
            => RetryStage.IsChainStopped(call.Inbound) ? _next(Attempts.For(call, _attemptTicks, 0, null)) : HedgeAsync(call);

        private async ValueTask<CallOutcome<TResponse>> HedgeAsync(OutgoingCall<TRequest, TResponse> call)
        {
            _budget?.OnCall();
            var hedged = new HedgedCall(this, call);
            var result = await Attempts.RunAsync(_hedging, call, CallKey, hedged, static (attemptContext, state) => state.AttemptAsync(attemptContext)).ConfigureAwait(false);
            if (result.IsOk && hedged.WinnerAttempt > 0)
            {
                ResilienceTelemetry.HedgeWon(call.Method.ServiceName, call.Method.Name);
            }

            return result;
        }

        /// <summary>One hedged call: the state its concurrent attempts share.</summary>
        private sealed class HedgedCall(Bound<TRequest, TResponse> bound, OutgoingCall<TRequest, TResponse> call)
        {
            private readonly AttemptPeers _peers = new();
            private int _started;
            private int _winner = -1;

            public int WinnerAttempt => Volatile.Read(ref _winner);

            /// <summary>One attempt, on its own token (Polly cancels the losers'), avoiding the instances of the others.</summary>
            public async ValueTask<Outcome<CallOutcome<TResponse>>> AttemptAsync(ResilienceContext attemptContext)
            {
                int attempt = Interlocked.Increment(ref _started) - 1;
                var options = call.Options with { CancellationToken = attemptContext.CancellationToken };
                long start = Stopwatch.GetTimestamp();
                var outcome = await bound._next(Attempts.For(call with { Options = options }, bound._attemptTicks, attempt, _peers)).ConfigureAwait(false);
                if (outcome.IsOk)
                {
                    // The attempt's own latency: the call's (about min(primary, delay + backup)) would pull the quantile
                    // toward the delay plus a backup, and the delay up with it.
                    bound._latencies?.Record(Stopwatch.GetTimestamp() - start);
                    Interlocked.CompareExchange(ref _winner, attempt, -1);
                }

                return Outcome.FromResult(outcome);
            }

            /// <summary>
            /// A failed attempt another may repeat at once (the retry rules, for an idempotent method), or one a breaker
            /// refused unsent: not the call's answer either, so Polly keeps waiting for the attempts still in flight.
            /// </summary>
            public bool MayRepeat(CallOutcome<TResponse> outcome)
                => RetryRules.MayRetry(outcome, bound._policy, call.Deadline, call.Options.CancellationToken, out _)
                   || outcome.ResponseHeaders?.GetValue(FittenHeaders.CircuitOpen) is not null;

            /// <summary>The next backup, if the budget has room for it (else none: the call waits for what it has).</summary>
            public Func<ValueTask<Outcome<CallOutcome<TResponse>>>>? Backup(HedgingActionGeneratorArguments<CallOutcome<TResponse>> args)
            {
                if (bound._budget is { } budget && !budget.TryRetry())
                {
                    ResilienceTelemetry.BudgetExhausted(call.Method.ServiceName, call.Method.Name);
                    return null;
                }

                return () => args.Callback(args.ActionContext);
            }

            public void OnHedging(int attempt)
                => ResilienceTelemetry.Hedged(call.Method.ServiceName, call.Method.Name, attempt);
        }
    }
}
