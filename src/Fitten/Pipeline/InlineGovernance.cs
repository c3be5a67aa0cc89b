using Fitten.Resilience;

namespace Fitten.Pipeline;

/// <summary>
/// The work of a method's retry and circuit-breaker stages that a transport can do inside its one body when the
/// pipeline takes its shortcut (no user interceptor, nobody observing, no fallback, no hedging, no attempt timeout):
/// admitting the attempt through the breaker, recording its outcome there, and, only when it failed in a way that may
/// be retried, handing the call to the retry stage. A healthy call pays a counter and, with a breaker, two clock
/// reads, instead of an async step per stage (measured: each cost ~15% of calls/s at 64 callers; docs/benchmarks.md).
/// Built once per method, from the very stage objects its chain was composed of, so both paths share their state.
/// </summary>
internal sealed class InlineGovernance<TRequest, TResponse>
{
    /// <summary>The method's breaker, or null.</summary>
    public CircuitBreaker? Breaker { get; set; }

    /// <summary>The method's retry stage, or null.</summary>
    public IInlineRetry<TRequest, TResponse>? Retry { get; set; }

    /// <summary>Whether there is anything to do inline (else the transport is passed none).</summary>
    public bool IsEmpty => Breaker is null && Retry is null;
}

/// <summary>A composed stage whose work can run inline in the transport (see <see cref="InlineGovernance{TRequest, TResponse}"/>).</summary>
internal interface IInlineStage<TRequest, TResponse>
{
    /// <summary>Adds this stage's inline work to <paramref name="governance"/>; false when the stage needs the chain for this method.</summary>
    bool Contribute(InlineGovernance<TRequest, TResponse> governance);
}

/// <summary>The retry stage's side of <see cref="InlineGovernance{TRequest, TResponse}"/>.</summary>
internal interface IInlineRetry<TRequest, TResponse>
{
    /// <summary>Counts the call in the retry budget (its first attempt).</summary>
    void OnCall();

    /// <summary>Whether the first attempt's <paramref name="outcome"/> may be retried (the budget aside).</summary>
    bool MayRetry(in CallOutcome<TResponse> outcome, in OutgoingCall<TRequest, TResponse> call);

    /// <summary>The retries after a first attempt that may be retried; the last attempt's outcome.</summary>
    ValueTask<CallOutcome<TResponse>> RetryAsync(OutgoingCall<TRequest, TResponse> call, CallOutcome<TResponse> first);
}
