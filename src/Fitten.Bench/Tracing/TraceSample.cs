namespace Fitten.Bench.Tracing;

/// <summary>One traced (sampled) request and how long it took; reports list the slowest ones.</summary>
/// <param name="TraceId">The W3C trace id, 32 hex characters, to search for in the server's traces.</param>
/// <param name="Latency">The request's latency (from its intended send time in the open model).</param>
/// <param name="Second">The second of the measured run in which it completed.</param>
public sealed record TraceSample(string TraceId, TimeSpan Latency, int Second);
