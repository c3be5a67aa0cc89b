using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fitten.Telemetry;

/// <summary>
/// The names Fitten reports under. Subscribe with OpenTelemetry's <c>AddSource(FittenTelemetry.SourceName)</c> and
/// <c>AddMeter(FittenTelemetry.MeterName)</c>. Instrument names follow the OpenTelemetry RPC semantic conventions
/// where they define one (call durations); the rest carry the <c>fitten.</c> prefix (docs/telemetry.md).
/// </summary>
public static class FittenTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string SourceName = "Fitten";

    /// <summary>The Meter name (same as the source name).</summary>
    public const string MeterName = SourceName;

    /// <summary>The rpc.system attribute value for Fitten RPC.</summary>
    public const string RpcSystem = "fitten";

    internal static readonly ActivitySource Source = new(SourceName, typeof(FittenTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(MeterName, typeof(FittenTelemetry).Assembly.GetName().Version?.ToString());

    // Bucket boundaries in seconds from 100 µs to 10 s: RPCs on one machine are far below the SDK's
    // default buckets (which start at 5 ms), so the defaults would put every local call in the first bucket.
    private static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    internal static readonly Histogram<double> ClientDuration = Meter.CreateHistogram(
        "rpc.client.call.duration", "s", "Duration of outgoing Fitten RPC calls.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly Histogram<double> ServerDuration = Meter.CreateHistogram(
        "rpc.server.call.duration", "s", "Duration of incoming Fitten RPC calls.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly UpDownCounter<long> ClientActiveCalls = Meter.CreateUpDownCounter<long>(
        "fitten.rpc.client.active_calls", "{call}", "Outgoing calls in flight.");

    internal static readonly UpDownCounter<long> ServerActiveCalls = Meter.CreateUpDownCounter<long>(
        "fitten.rpc.server.active_calls", "{call}", "Incoming calls being served.");

    internal static readonly UpDownCounter<long> ClientConnections = Meter.CreateUpDownCounter<long>(
        "fitten.rpc.client.open_connections", "{connection}", "Open client connections.");

    internal static readonly UpDownCounter<long> ServerConnections = Meter.CreateUpDownCounter<long>(
        "fitten.rpc.server.open_connections", "{connection}", "Open server connections.");

    /// <summary>The current activity when it is the client span Fitten's telemetry stage records (tags and events go there); else null.</summary>
    internal static Activity? RecordingClientSpan
        => Activity.Current is { Kind: ActivityKind.Client, IsAllDataRequested: true } span && ReferenceEquals(span.Source, Source) ? span : null;

    /// <summary>The rpc.response.status_code attribute value.</summary>
    internal static string StatusName(StatusCode code) => Status.CodeName(code);

    /// <summary>Records one call's duration and outcome with the RPC convention attributes.</summary>
    internal static void RecordDuration(Histogram<double> histogram, string service, string method, StatusCode status, long startTimestamp)
    {
        if (!histogram.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "rpc.system", RpcSystem },
            { "rpc.service", service },
            { "rpc.method", method },
            { "rpc.response.status_code", StatusName(status) },
        };
        histogram.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <summary>Adds one to an in-flight counter, tagged with service and method, if anyone listens.</summary>
    internal static void AddActive(UpDownCounter<long> counter, string service, string method, int delta)
    {
        if (counter.Enabled)
        {
            counter.Add(delta, new KeyValuePair<string, object?>("rpc.service", service), new KeyValuePair<string, object?>("rpc.method", method));
        }
    }

    /// <summary>Closes a span with the call's outcome.</summary>
    internal static void StopActivity(Activity activity, StatusCode status, string? message)
    {
        activity.SetTag("rpc.response.status_code", StatusName(status));
        if (status != StatusCode.OK)
        {
            activity.SetStatus(ActivityStatusCode.Error, message);
        }

        activity.Stop();
    }
}
