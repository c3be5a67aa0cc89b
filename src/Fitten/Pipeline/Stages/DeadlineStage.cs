using System.Diagnostics;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// Gives the call one absolute deadline: its own timeout (call options, else the method's policy: its configured
/// timeout, the contract's, the service's), but never later than the deadline of the call being served, whose time already spent on
/// this hop is not given back. A call whose deadline has already passed ends here, not processed. Synchronous: it
/// only computes, the transport keeps the time.
/// </summary>
internal sealed class DeadlineStage(Resilience.ClientPolicyOptions policies) : ClientInterceptor, IComposedClientStage
{
    /// <summary>Timeouts this long or longer mean "no deadline" (and keep timestamps far from overflow).</summary>
    private static readonly TimeSpan Forever = TimeSpan.FromDays(30);

    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, Resilience.MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => new Bound<TRequest, TResponse>(Ticks(policy.Timeout), next).InvokeAsync;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => new Bound<TRequest, TResponse>(Ticks(policies.Resolve(call.Method).Timeout), next).InvokeAsync(call);

    /// <summary>A policy's timeout in Stopwatch ticks (see <see cref="Ticks(TimeSpan)"/>); -1 for none.</summary>
    public static long Ticks(TimeSpan? timeout) => timeout is { } value ? Ticks(value) : -1;

    /// <summary>
    /// Sets <paramref name="call"/>'s deadline from its own timeout (else <paramref name="methodTicks"/>) and the
    /// inbound call's; false when that deadline has already passed (<paramref name="inherited"/>: it was the inbound
    /// call's). With no timeout and no inbound call, the call is left as it is and no clock is read.
    /// </summary>
    public static bool TrySetDeadline<TRequest, TResponse>(ref OutgoingCall<TRequest, TResponse> call, long methodTicks, out bool inherited)
    {
        inherited = false;
        long ticks = call.Options.Timeout is { } own ? Ticks(own) : methodTicks;
        if (ticks < 0 && call.Inbound is null)
        {
            return true; // no deadline anywhere: nothing to compute, not even the time
        }

        long now = Stopwatch.GetTimestamp();
        long deadline = ticks < 0 ? long.MaxValue : now + ticks;
        if (call.Inbound is { DeadlineTimestamp: var inbound } && inbound < deadline)
        {
            deadline = inbound;
            inherited = true;
        }

        if (deadline <= now)
        {
            return false;
        }

        call = call with { Deadline = deadline };
        return true;
    }

    /// <summary>A timeout in Stopwatch ticks; -1 for none, 0 for one that has already run out.</summary>
    private static long Ticks(TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan || timeout >= Forever ? -1 : timeout <= TimeSpan.Zero ? 0 : (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    private sealed class Bound<TRequest, TResponse>(long methodTicks, CallHandler<TRequest, TResponse> next) : IInlineStage<TRequest, TResponse>
    {
        // The shortcut sets the deadline itself (TrySetDeadline, with the method's ticks).
        public bool Contribute(InlineGovernance<TRequest, TResponse> governance) => true;

        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call)
        {
            if (TrySetDeadline(ref call, methodTicks, out bool inherited))
            {
                return next(call);
            }

            return new(CallOutcome<TResponse>.Failure(StatusCode.DeadlineExceeded, inherited
                ? $"Deadline exceeded: the call being served ({call.Inbound!.Method}) had no time left for {call.Method.FullName}."
                : "Deadline exceeded.", notProcessed: true));
        }
    }
}
