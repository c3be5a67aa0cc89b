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

    public static readonly Counter<long> BreakerTransitions = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.circuit_breaker.transitions", "{transition}", "Circuit breaker state changes, by the state entered.");

    public static readonly UpDownCounter<long> BreakersOpen = FittenTelemetry.Meter.CreateUpDownCounter<long>(
        "fitten.rpc.client.circuit_breaker.open", "{breaker}", "Circuit breakers not closed (open or half-open) right now.");

    public static readonly Counter<long> BreakerRejections = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.circuit_breaker.rejected", "{call}", "Attempts failed at once because a circuit breaker was open.");

    public static readonly Counter<long> Hedges = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.hedges", "{attempt}", "Backup attempts sent by hedging.");

    public static readonly Counter<long> HedgesWon = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.hedges.won", "{call}", "Hedged calls whose answer came from a backup attempt.");

    public static void Hedged(string service, string method, int attempt)
    {
        Count(Hedges, service, method);

        FittenTelemetry.RecordingClientSpan?.AddEvent(new ActivityEvent("fitten.hedge", tags: new ActivityTagsCollection { { "fitten.hedge.attempt", attempt } }));
    }

    public static void HedgeWon(string service, string method)
    {
        Count(HedgesWon, service, method);
    }

    public static readonly Counter<long> Fallbacks = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.fallbacks", "{call}", "Calls a fallback answered, by reason.");

    public static void FellBack(string service, string method, string reason)
    {
        if (Fallbacks.Enabled)
        {
            Fallbacks.Add(1, new TagList { { "rpc.service", service }, { "rpc.method", method }, { "fitten.fallback.reason", reason } });
        }
    }

    /// <summary>A breaker changed state: a method's (<paramref name="method"/> set) or an instance's (null: scope "instance").</summary>
    public static void BreakerMoved(string service, string? method, CircuitState from, CircuitState to)
    {
        var tags = new TagList { { "rpc.service", service } };
        tags.Add(method is null ? new("fitten.circuit_breaker.scope", "instance") : new KeyValuePair<string, object?>("rpc.method", method));
        if (BreakersOpen.Enabled && (from == CircuitState.Closed) != (to == CircuitState.Closed))
        {
            BreakersOpen.Add(to == CircuitState.Closed ? -1 : 1, tags);
        }

        if (BreakerTransitions.Enabled)
        {
            tags.Add("fitten.circuit_breaker.state", StateName(to));
            BreakerTransitions.Add(1, tags);
        }
    }

    public static void BreakerRejected(string service, string method)
    {
        Count(BreakerRejections, service, method);
    }

    public static string StateName(CircuitState state) => state switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        _ => "closed",
    };

    public static void Retried(string service, string method, string reason, int attempt, TimeSpan delay, StatusCode status)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new TagList { { "rpc.service", service }, { "rpc.method", method }, { "fitten.retry.reason", reason } });
        }

        FittenTelemetry.RecordingClientSpan?.AddEvent(new ActivityEvent("fitten.retry", tags: new ActivityTagsCollection
        {
            { "fitten.retry.attempt", attempt },
            { "fitten.retry.reason", reason },
            { "fitten.retry.delay_ms", delay.TotalMilliseconds },
            { "rpc.response.status_code", Status.CodeName(status) },
        }));
    }

    public static void BudgetExhausted(string service, string method)
    {
        Count(BudgetExhaustions, service, method);
    }

    private static void Count(Counter<long> counter, string service, string method)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("rpc.service", service), new KeyValuePair<string, object?>("rpc.method", method));
        }
    }
}
