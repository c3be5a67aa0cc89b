namespace Fitten.Bench.Measurement;

/// <summary>The figures of one stage of a staged run: where throughput stops following the offered load is the knee.</summary>
/// <param name="Index">The stage's position, from 0.</param>
/// <param name="Stage">The stage as given, e.g. <c>10s:1000rps</c>.</param>
/// <param name="Requests">Requests completed during the stage.</param>
/// <param name="Errors">Errors among them.</param>
/// <param name="RequestsPerSecond">Achieved throughput during the stage.</param>
/// <param name="Latency">Latency during the stage (per-second resolution at its edges, 1% value precision).</param>
public sealed record StageResult(int Index, string Stage, long Requests, long Errors, double RequestsPerSecond, LatencySummary Latency);
