using System.Diagnostics;
using Polly;

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

    /// <summary>
    /// Runs a call's attempts on a Polly <paramref name="pipeline"/>: a pooled context on the caller's token (else the
    /// call being served's), <paramref name="state"/> under <paramref name="key"/> for the strategy's callbacks, and the
    /// result as an outcome; a call cancelled while Polly waited ends as a cancelled attempt would.
    /// </summary>
    public static async ValueTask<CallOutcome<TResponse>> RunAsync<TRequest, TResponse, TState>(
        ResiliencePipeline<CallOutcome<TResponse>> pipeline, OutgoingCall<TRequest, TResponse> call, ResiliencePropertyKey<TState> key, TState state,
        Func<ResilienceContext, TState, ValueTask<Outcome<CallOutcome<TResponse>>>> attempt)
    {
        var token = call.Options.CancellationToken.CanBeCanceled ? call.Options.CancellationToken : call.Inbound?.CancellationToken ?? default;
        var context = ResilienceContextPool.Shared.Get(token);
        context.Properties.Set(key, state);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(attempt, context, state).ConfigureAwait(false);
            if (outcome.Exception is OperationCanceledException)
            {
                var code = Client.ClientCall.CancelledStatus(call.Inbound);
                return CallOutcome<TResponse>.Failure(code, Client.ClientCall.Describe(code), notProcessed: true);
            }

            outcome.ThrowIfException();
            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
