using System.Diagnostics;
using System.Runtime.CompilerServices;
using Fitten.Pipeline;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// The server span and <c>rpc.server.*</c> metrics, for Fitten RPC and HTTP/JSON calls alike. The span's parent is
/// the current activity when there is one (ASP.NET Core's HTTP span), else the caller's traceparent. With no
/// listener at all it hands the call on untouched.
/// </summary>
internal sealed class ServerTelemetryStage : ServerInterceptor, IComposedServerStage
{
    public static readonly ServerTelemetryStage Instance = new();

    public ServerCallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallHandler<TRequest, TResponse> next)
        => (request, context) => Run(request, context, next);

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
        => Run(request, context, next);

    private static ValueTask<CallOutcome<TResponse>> Run<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
    {
        if (!FittenTelemetry.ServerDuration.Enabled && !FittenTelemetry.ServerActiveCalls.Enabled && !FittenTelemetry.Source.HasListeners())
        {
            return next(request, context);
        }

        return ObserveAsync(request, context, next);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<CallOutcome<TResponse>> ObserveAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
    {
        long start = Stopwatch.GetTimestamp();
        string service = context.Service;
        string name = context.MethodName;
        Activity? activity = null;
        var outcome = CallOutcome<TResponse>.Failure(StatusCode.Unknown, "The call ended with an exception.");
        FittenTelemetry.AddActive(FittenTelemetry.ServerActiveCalls, service, name, 1);
        try
        {
            // Inside the try: malformed trace headers with a listener attached fail this call, never the process.
            activity = StartActivity(context, service, name);
            outcome = await next(request, context).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            FittenTelemetry.AddActive(FittenTelemetry.ServerActiveCalls, service, name, -1);
            FittenTelemetry.RecordDuration(FittenTelemetry.ServerDuration, service, name, outcome.Status.Code, start);
            if (activity is not null)
            {
                FittenTelemetry.StopActivity(activity, outcome.Status.Code, outcome.Status.Message);
            }
        }
    }

    private static Activity? StartActivity(ServerCallContext context, string service, string name)
    {
        if (!FittenTelemetry.Source.HasListeners())
        {
            return null;
        }

        // Over HTTP, ASP.NET Core's span is current and already carries the caller's context and baggage.
        var parent = Activity.Current?.Context ?? default;
        bool fromWire = parent == default;
        if (fromWire)
        {
            ActivityContext.TryParse(context.TraceParent, context.TraceState, isRemote: true, out parent);
        }

        var activity = FittenTelemetry.Source.StartActivity(context.Method, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", FittenTelemetry.RpcSystem);
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", name);
            if (fromWire && context.Baggage is { } baggage)
            {
                AddBaggage(activity, baggage);
            }
        }

        return activity;
    }

    private static void AddBaggage(Activity activity, string baggage)
    {
        var items = DistributedContextPropagator.Current.ExtractBaggage(baggage, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = name == "baggage" ? (string?)carrier : null;
        });
        if (items is not null)
        {
            foreach (var item in items)
            {
                activity.AddBaggage(item.Key, item.Value);
            }
        }
    }
}
