namespace Fitten.Bench.Running;

/// <summary>A snapshot of a run in progress, for a live display.</summary>
/// <param name="Phase">Where the run is.</param>
/// <param name="Elapsed">Time since the run started, warm-up included.</param>
/// <param name="MeasuredElapsed">Time since measuring started (zero during warm-up).</param>
/// <param name="PlannedDuration">The measured duration planned, if the run is time-bound.</param>
/// <param name="Requests">Measured requests completed so far.</param>
/// <param name="Errors">Measured errors so far.</param>
/// <param name="LateStarts">Late starts so far (open model).</param>
/// <param name="P99SoFar">p99 of what has been merged so far (lags by up to a second).</param>
/// <param name="CurrentStage">The stage being run, from 0.</param>
public sealed record BenchProgress(
    BenchPhase Phase,
    TimeSpan Elapsed,
    TimeSpan MeasuredElapsed,
    TimeSpan? PlannedDuration,
    long Requests,
    long Errors,
    long LateStarts,
    TimeSpan P99SoFar,
    int CurrentStage);
