using System.Diagnostics;
using System.Runtime.CompilerServices;
using Fitten.Telemetry;

namespace Fitten.Pipeline.Stages;

/// <summary>
/// The client span and call metrics (<c>rpc.client.call.duration</c>, active calls), around everything else the
/// call goes through. With no span listener and no metric listener it hands the call on untouched: no state
/// machine, no timestamp.
/// </summary>
internal sealed class TelemetryStage : ClientInterceptor, IComposedClientStage
{
    public static readonly TelemetryStage Instance = new();

    public CallHandler<TRequest, TResponse> Compose<TRequest, TResponse>(Method<TRequest, TResponse> method, Resilience.MethodPolicy policy, CallHandler<TRequest, TResponse> next)
        => new Bound<TRequest, TResponse>(next).InvokeAsync;

    public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        => new Bound<TRequest, TResponse>(next).InvokeAsync(call);

    /// <summary>Whether anyone records client spans or metrics; when not, this stage hands calls on untouched.</summary>
    public static bool Listening => FittenTelemetry.ClientDuration.Enabled || FittenTelemetry.ClientActiveCalls.Enabled || FittenTelemetry.Source.HasListeners();

    /// <summary>
    /// The client span, current for the rest of the pipeline, so the transport injects its context into the request
    /// and tags it with the endpoint it picks (server.address, server.port).
    /// </summary>
    private static Activity? StartActivity(string fullName, string service, string name)
    {
        if (!FittenTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = FittenTelemetry.Source.StartActivity(fullName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", FittenTelemetry.RpcSystem);
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", name);
        }

        return activity;
    }

    private sealed class Bound<TRequest, TResponse>(CallHandler<TRequest, TResponse> next) : IInlineStage<TRequest, TResponse>
    {
        // The shortcut is taken only while nobody listens, when this stage would hand the call on untouched.
        public bool Contribute(InlineGovernance<TRequest, TResponse> governance) => true;

        public ValueTask<CallOutcome<TResponse>> InvokeAsync(OutgoingCall<TRequest, TResponse> call) => Listening ? ObserveAsync(call) : next(call);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<CallOutcome<TResponse>> ObserveAsync(OutgoingCall<TRequest, TResponse> call)
        {
            var method = call.Method;
            long start = Stopwatch.GetTimestamp();
            var activity = StartActivity(method.FullName, method.ServiceName, method.Name);
            FittenTelemetry.AddActive(FittenTelemetry.ClientActiveCalls, method.ServiceName, method.Name, 1);
            var outcome = CallOutcome<TResponse>.Failure(StatusCode.Unknown, "The call ended with an exception.");
            try
            {
                outcome = await next(call).ConfigureAwait(false);
                return outcome;
            }
            finally
            {
                FittenTelemetry.AddActive(FittenTelemetry.ClientActiveCalls, method.ServiceName, method.Name, -1);
                FittenTelemetry.RecordDuration(FittenTelemetry.ClientDuration, method.ServiceName, method.Name, outcome.Status.Code, start);
                if (activity is not null)
                {
                    FittenTelemetry.StopActivity(activity, outcome.Status.Code, outcome.Status.Message);
                }
            }
        }
    }
}
