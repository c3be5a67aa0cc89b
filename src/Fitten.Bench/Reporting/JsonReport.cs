using System.Text;
using System.Text.Json;
using Fitten.Bench.Measurement;
using Fitten.Bench.Thresholds;

namespace Fitten.Bench.Reporting;

/// <summary>
/// The machine-readable report (<c>--json</c>) and the reader for <c>--baseline</c>. Written with
/// <see cref="Utf8JsonWriter"/> rather than a serializer so the field names are the documented, stable ones and
/// the library stays trimming- and AOT-safe. Latencies are in microseconds, durations in seconds.
/// </summary>
public static class JsonReport
{
    /// <summary>Writes the report as indented JSON.</summary>
    /// <param name="result">The run.</param>
    /// <param name="thresholds">Threshold outcomes to include, if any.</param>
    /// <param name="baseline">A comparison with an earlier run to include, if any.</param>
    public static string Write(BenchResult result, IReadOnlyList<ThresholdResult>? thresholds = null, BaselineComparison? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", result.Target);
            w.WriteString("load", result.Load);
            w.WriteNumber("connections", result.Connections);
            w.WriteString("started_at", result.StartedAt);
            w.WriteNumber("requests", result.Requests);
            w.WriteNumber("errors", result.Errors);
            w.WriteNumber("error_ratio", Math.Round(result.ErrorRatio, 6));
            w.WriteNumber("duration_s", Math.Round(result.Duration.TotalSeconds, 3));
            w.WriteNumber("rps", Math.Round(result.RequestsPerSecond, 1));
            w.WriteNumber("warmup_requests", result.WarmupRequests);
            w.WriteNumber("late_starts", result.LateStarts);
            w.WritePropertyName("latency_us");
            WriteLatency(w, result.Latency);
            w.WriteStartObject("errors_by_kind");
            foreach (var (kind, count) in result.ErrorsByKind)
            {
                w.WriteNumber(kind, count);
            }

            w.WriteEndObject();
            w.WriteStartArray("percentiles");
            foreach (var p in result.Percentiles)
            {
                w.WriteStartObject();
                w.WriteNumber("percentile", Math.Round(p.Percentile, 4));
                w.WriteNumber("latency_us", Micros(p.Latency));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("seconds");
            foreach (var s in result.Seconds)
            {
                w.WriteStartObject();
                w.WriteNumber("second", s.Second);
                w.WriteNumber("requests", s.Requests);
                w.WriteNumber("errors", s.Errors);
                w.WriteNumber("p50_us", Micros(s.P50));
                w.WriteNumber("p99_us", Micros(s.P99));
                w.WriteNumber("max_us", Micros(s.Max));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("stages");
            foreach (var s in result.Stages)
            {
                w.WriteStartObject();
                w.WriteString("stage", s.Stage);
                w.WriteNumber("requests", s.Requests);
                w.WriteNumber("errors", s.Errors);
                w.WriteNumber("rps", Math.Round(s.RequestsPerSecond, 1));
                w.WritePropertyName("latency_us");
                WriteLatency(w, s.Latency);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("slowest_traces");
            foreach (var t in result.SlowestTraces)
            {
                w.WriteStartObject();
                w.WriteString("trace_id", t.TraceId);
                w.WriteNumber("latency_us", Micros(t.Latency));
                w.WriteNumber("second", t.Second);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (thresholds is { Count: > 0 })
            {
                w.WriteStartArray("thresholds");
                foreach (var t in thresholds)
                {
                    w.WriteStartObject();
                    w.WriteString("expression", t.Threshold.Expression);
                    w.WriteNumber("actual", Math.Round(t.Actual, 6));
                    w.WriteNumber("limit", Math.Round(t.Threshold.Limit, 6));
                    w.WriteBoolean("breached", t.Breached);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            if (baseline is not null)
            {
                w.WriteStartArray("baseline");
                foreach (var f in baseline.Figures)
                {
                    w.WriteStartObject();
                    w.WriteString("figure", f.Name);
                    w.WriteNumber("baseline", Math.Round(f.Baseline, 3));
                    w.WriteNumber("current", Math.Round(f.Current, 3));
                    if (!double.IsNaN(f.Change) && !double.IsInfinity(f.Change))
                    {
                        w.WriteNumber("change", Math.Round(f.Change, 4));
                    }

                    w.WriteBoolean("worse", f.IsWorse);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads the headline figures of an earlier <c>--json</c> report, for a baseline comparison.</summary>
    /// <param name="json">The report's text.</param>
    /// <exception cref="FormatException">The text is not a report this tool wrote.</exception>
    public static BaselineFigures ReadFigures(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var latency = root.GetProperty("latency_us");
            return new BaselineFigures(
                root.GetProperty("requests").GetInt64(),
                root.GetProperty("errors").GetInt64(),
                root.GetProperty("duration_s").GetDouble(),
                root.GetProperty("rps").GetDouble(),
                latency.GetProperty("p50").GetDouble(),
                latency.GetProperty("p90").GetDouble(),
                latency.GetProperty("p99").GetDouble(),
                latency.GetProperty("p999").GetDouble(),
                latency.GetProperty("max").GetDouble());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("not a fitten bench JSON report (expected requests, errors, duration_s, rps and latency_us): " + ex.Message, ex);
        }
    }

    private static void WriteLatency(Utf8JsonWriter w, LatencySummary l)
    {
        w.WriteStartObject();
        w.WriteNumber("p50", Micros(l.P50));
        w.WriteNumber("p90", Micros(l.P90));
        w.WriteNumber("p99", Micros(l.P99));
        w.WriteNumber("p999", Micros(l.P999));
        w.WriteNumber("max", Micros(l.Max));
        w.WriteNumber("mean", Micros(l.Mean));
        w.WriteEndObject();
    }

    private static double Micros(TimeSpan value) => Math.Round(value.TotalMicroseconds, 1);
}
