using System.Diagnostics;

namespace Fitten.Pipeline.Stages;

/// <summary>What the retry and hedging stages do alike to a call for one of its attempts.</summary>
internal static class Attempts
{
    /// <summary>An attempt timeout in Stopwatch ticks; -1 for none.</summary>
    public static long Ticks(TimeSpan? attemptTimeout) => attemptTimeout is { } timeout ? (long)(timeout.TotalSeconds * Stopwatch.Frequency) : -1;

    /// <summary>
    /// The call for attempt <paramref name="attempt"/>: its deadline cut to the attempt timeout (<paramref name="attemptTicks"/>),
    /// the attempt number (the transport writes the retry mark from it), the instances to avoid.
    /// </summary>
    public static OutgoingCall<TRequest, TResponse> For<TRequest, TResponse>(in OutgoingCall<TRequest, TResponse> call, long attemptTicks, int attempt, object? avoid)
    {
        long deadline = call.Deadline;
        if (attemptTicks >= 0)
        {
            long attemptDeadline = Stopwatch.GetTimestamp() + attemptTicks;
            if (attemptDeadline < deadline)
            {
                deadline = attemptDeadline;
            }
        }

        return attempt == 0 && deadline == call.Deadline && avoid is null ? call : call with { Deadline = deadline, Attempt = attempt, Avoid = avoid };
    }
}
