using System.Diagnostics;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// Gives the call one absolute deadline: its own timeout (call options, else the method's declared timeout, else
/// the client's default), but never later than the deadline of the call being served, whose time already spent on
/// this hop is not given back. A call whose deadline has already passed ends here, not processed. Synchronous: it
/// only computes, the transport keeps the time.
/// </summary>
internal sealed class DeadlineStage(TimeSpan defaultTimeout) : ClientInterceptor
{
    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
    {
        var timeout = call.Options.Timeout ?? call.Method.Timeout ?? defaultTimeout;
        long now = Stopwatch.GetTimestamp();
        long deadline = timeout == Timeout.InfiniteTimeSpan || timeout >= TimeSpan.FromDays(30)
            ? long.MaxValue
            : now + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        bool inherited = false;
        if (call.Inbound is { DeadlineTimestamp: var inbound } && inbound < deadline)
        {
            deadline = inbound;
            inherited = true;
        }

        if (deadline <= now || timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            return new(CallOutcome<TResponse>.Failure(StatusCode.DeadlineExceeded, inherited
                ? $"Deadline exceeded: the call being served ({call.Inbound!.Method}) had no time left for {call.Method.FullName}."
                : "Deadline exceeded.", notProcessed: true));
        }

        return next(call with { Deadline = deadline });
    }
}
