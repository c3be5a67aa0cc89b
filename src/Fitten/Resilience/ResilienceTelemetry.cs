using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fitten.Telemetry;

namespace Fitten.Resilience;

/// <summary>
/// Instruments of the client's governance, on the Fitten meter (<see cref="FittenTelemetry.MeterName"/>): recorded
/// when a policy acts (a retry, a budget refusal), never per successful call. Each retry is also an event on the
/// call's client span.
/// </summary>
internal static class ResilienceTelemetry
{
    public static readonly Counter<long> Retries = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.retries", "{retry}", "Attempts sent again after a failed attempt, by reason.");

    public static readonly Counter<long> BudgetExhaustions = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.retry_budget.exhausted", "{call}", "Calls not retried because the client's retry budget was spent.");

    public static void Retried(string service, string method, string reason, int attempt, TimeSpan delay, StatusCode status)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new TagList { { "rpc.service", service }, { "rpc.method", method }, { "fitten.retry.reason", reason } });
        }

        if (Activity.Current is { Kind: ActivityKind.Client, IsAllDataRequested: true } span && ReferenceEquals(span.Source, FittenTelemetry.Source))
        {
            span.AddEvent(new ActivityEvent("fitten.retry", tags: new ActivityTagsCollection
            {
                { "fitten.retry.attempt", attempt },
                { "fitten.retry.reason", reason },
                { "fitten.retry.delay_ms", delay.TotalMilliseconds },
                { "rpc.response.status_code", Status.CodeName(status) },
            }));
        }
    }

    public static void BudgetExhausted(string service, string method)
    {
        if (BudgetExhaustions.Enabled)
        {
            BudgetExhaustions.Add(1, new KeyValuePair<string, object?>("rpc.service", service), new KeyValuePair<string, object?>("rpc.method", method));
        }
    }
}
