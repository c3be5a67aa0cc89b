using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Fitten.Discovery;
using Fitten.Health;
using Fitten.LoadBalancing;
using Fitten.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fitten.Client;

/// <summary>
/// Calls a service by name: follows its instances through an <see cref="IServiceWatcher"/>, keeps one
/// <see cref="FittenChannel"/> per instance, and spreads calls over them with a load-balancing policy.
/// Instances that refuse connections or keep failing are ejected for a while (passive health checking), and a
/// call an instance could not take is sent to another. Thread-safe; create one per service and share it.
/// </summary>
public sealed partial class ServiceChannel : ICallInvoker, IClientTransport, IAsyncDisposable
{
    private readonly ServiceChannelOptions _options;
    private readonly ILoadBalancingPolicy _policy;
    private readonly OutlierDetector _outliers;
    private readonly ILogger _logger;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly Resilience.CircuitBreakerPolicy? _instanceBreaker;
    private volatile State? _state;
    private ClientPipeline? _pipeline;

    /// <summary>
    /// Creates a channel to <paramref name="service"/> and starts watching its instances. No connection is made
    /// until the first call; calls made before the first snapshot arrives wait for it (within their timeout).
    /// Instance changes, ejections and registry failures are logged to <paramref name="loggerFactory"/> (category
    /// <c>Fitten.Discovery.ServiceChannel</c>).
    /// </summary>
    public ServiceChannel(string service, IServiceWatcher watcher, ServiceChannelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(watcher);
        _options = options ?? new ServiceChannelOptions();
        _options.Validate();
        _policy = _options.ResolvePolicy();
        _instanceBreaker = Resilience.ClientPolicyOptions.ResolveBreaker(null, _options.InstanceCircuitBreaker);
        _outliers = new OutlierDetector(_options.OutlierDetection);
        _loggerFactory = loggerFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(LogCategory);
        Service = service;
        _watch = WatchAsync(watcher);
    }

    /// <summary>The service this channel calls.</summary>
    public string Service { get; }

    /// <summary>The name of the load-balancing policy in use.</summary>
    public string LoadBalancingPolicy => _policy.Name;

    /// <summary>The instances calls are spread over right now, with their load and health (empty before the first snapshot).</summary>
    public ImmutableArray<BalancerEndpoint> Endpoints => _state?.Endpoints ?? [];

    /// <summary>The pipeline <see cref="InvokeAsync{TRequest, TResponse}"/> runs calls through, ending in this channel.</summary>
    public ClientPipeline Pipeline => _pipeline ?? CreatePipeline();

    /// <summary>
    /// Makes a unary call through <see cref="Pipeline"/>, on an instance the policy picks. Completes with the response
    /// or throws <see cref="RpcException"/>: UNAVAILABLE (not processed) when the service has no instances or none
    /// could take the call in the attempts its retry policy allows (each retry goes to another instance).
    /// </summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        => Pipeline.InvokeAsync(method, request, options);

    /// <summary>
    /// The balancer as a transport: picks an instance (waiting for the first snapshot within the call's deadline;
    /// another than the one the call's previous attempt went to, when there is a choice), sends the call on that
    /// instance's channel and feeds the outcome to outlier detection. One attempt: the pipeline's retry stage sends
    /// a call no instance processed again, which lands on another instance. Never throws for a failed call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call)
    {
        var state = _state;
        if (state is null)
        {
            (state, var code, var message) = await WaitForFirstSnapshotAsync(call.Deadline, call.Options.CancellationToken, call.Inbound).ConfigureAwait(false);
            if (state is null)
            {
                return CallOutcome<TResponse>.Failure(code, message!, notProcessed: true);
            }
        }

        state = _state ?? state;
        if (state.Picker is null)
        {
            return CallOutcome<TResponse>.Failure(StatusCode.Unavailable, $"No instances of '{Service}' are registered.", notProcessed: true);
        }

        var options = call.Options;
        var context = PickContext.ForKey(options.HashKey ?? (_options.HashKeyHeader is null ? null : options.Headers?.GetValue(_options.HashKeyHeader)));
        var peers = call.Avoid as AttemptPeers;
        var endpoint = Pick(state, context, call.Avoid);
        int probe = 0;
        if (endpoint.Breaker is { } breaker && !breaker.TryEnter(out probe))
        {
            // The instance's breaker is open: another instance takes the call, if any will.
            if (PickAdmitted(state, endpoint, call.Avoid, out probe) is not { } other)
            {
                return CallOutcome<TResponse>.Failure(StatusCode.Unavailable, $"The circuit breakers of every instance of '{Service}' are open; the call was not sent.", notProcessed: true,
                    new Metadata().Add(Resilience.FittenHeaders.CircuitOpen, "true"));
            }

            endpoint = other;
        }

        // A hedged call: the instance this attempt is on, so the call's other attempts go elsewhere.
        peers?.Add(endpoint);

        long callStart = endpoint.BeginCall();
        CallOutcome<TResponse> outcome;
        try
        {
            outcome = await endpoint.Channel!.SendAsync(call).ConfigureAwait(false);
        }
        catch
        {
            // Transports report failures as outcomes; an exception is a bug or a disposed channel, not the
            // instance's health. The books must balance either way.
            endpoint.EndCall(callStart, success: true);
            if (probe != 0)
            {
                endpoint.Breaker!.OnProbeAbandoned(probe);
            }

            throw;
        }

        endpoint.Breaker?.OnOutcome(outcome, Stopwatch.GetTimestamp() - callStart, probe);

        if (outcome.IsOk)
        {
            endpoint.EndCall(callStart, success: true);
            if (_outliers.OnSuccess(endpoint))
            {
                Log.InstanceReturned(_logger, endpoint.Instance.Address, Service);
            }

            return outcome;
        }

        var status = outcome.Status.Code;
        bool unreachable = outcome.NotProcessed && status == StatusCode.Unavailable;
        if (endpoint.IsRemoved && unreachable)
        {
            // The instance left the registry between the pick and the call: the call never went out, and says
            // nothing about the instance's health.
            endpoint.EndCall(callStart, success: true);
        }
        else
        {
            endpoint.EndCall(callStart, success: !OutlierDetector.IsInstanceFailure(status, outcome.NotProcessed));

            // Refused with no connection open means nothing listens there; refused on an open connection
            // means busy or going away.
            bool refused = unreachable && endpoint.Channel!.OpenConnections == 0;
            long now = Environment.TickCount64;
            if (_outliers.OnFailure(endpoint, status, outcome.NotProcessed, refused, state.Endpoints, now))
            {
                LoadBalancingTelemetry.Ejected(Service, endpoint);
                LogEjected(endpoint, refused, status, now);
            }
        }

        // Which instance failed, so that a retry goes elsewhere.
        return outcome.WithPeer(endpoint);
    }

    private ClientPipeline CreatePipeline()
    {
        var pipeline = new ClientPipeline(this, _options.Channel.Policy, _options.Channel.Interceptors, _loggerFactory);
        return Interlocked.CompareExchange(ref _pipeline, pipeline, null) ?? pipeline;
    }

    private void LogEjected(BalancerEndpoint endpoint, bool refused, StatusCode code, long nowMs)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            string cause = refused
                ? "it refused the connection"
                : $"{_options.OutlierDetection.ConsecutiveFailures} server failures in a row, the last {Status.CodeName(code)}";
            Log.InstanceEjected(_logger, endpoint.Instance.Address, Service, (endpoint.EjectedUntil - nowMs) / 1000.0, cause, endpoint.EjectionCount);
        }
    }

    /// <summary>
    /// The balancer's pick, unless the call should avoid it (<paramref name="avoid"/>: the instance its last attempt
    /// failed on, or a hedged call's <see cref="AttemptPeers"/>): then the next instance along that it need not avoid,
    /// preferring one that is not ejected. A hash ring or a lone healthy instance may keep answering the same one.
    /// </summary>
    private static BalancerEndpoint Pick(State state, in PickContext context, object? avoid)
    {
        var endpoint = state.Picker!.Pick(context);
        if (avoid is null || !Avoids(avoid, endpoint))
        {
            return endpoint;
        }

        var endpoints = state.Endpoints;
        int at = endpoints.IndexOf(endpoint);
        long now = Environment.TickCount64;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 1; i < endpoints.Length; i++)
            {
                var next = endpoints[(at + i) % endpoints.Length];
                if (!Avoids(avoid, next) && (pass == 1 || !next.IsEjectedAt(now)))
                {
                    return next;
                }
            }
        }

        return endpoint;
    }

    /// <summary>Whether a call that should avoid <paramref name="avoid"/> (an instance or a hedged call's peers) should avoid <paramref name="endpoint"/>.</summary>
    private static bool Avoids(object? avoid, BalancerEndpoint endpoint)
        => ReferenceEquals(avoid, endpoint) || (avoid is AttemptPeers peers && peers.Contains(endpoint));

    /// <summary>
    /// An instance other than <paramref name="refused"/> whose breaker lets a call through, walking from it: first one
    /// the call should not avoid (its other attempts' instances, the one its last attempt failed on) and that is not
    /// ejected, then any; null when every breaker refuses.
    /// </summary>
    private static BalancerEndpoint? PickAdmitted(State state, BalancerEndpoint refused, object? avoid, out int probe)
    {
        probe = 0;
        var endpoints = state.Endpoints;
        int at = endpoints.IndexOf(refused);
        long now = Environment.TickCount64;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 1; i < endpoints.Length; i++)
            {
                var next = endpoints[(at + i) % endpoints.Length];
                bool unwanted = next.IsEjectedAt(now) || Avoids(avoid, next);
                if ((pass == 1 || !unwanted) && (next.Breaker is not { } breaker || breaker.TryEnter(out probe)))
                {
                    return next;
                }
            }
        }

        return null;
    }

    private Resilience.CircuitBreaker? CreateInstanceBreaker(ServiceInstance instance)
    {
        if (_instanceBreaker is null)
        {
            return null;
        }

        string address = instance.Address;
        return new Resilience.CircuitBreaker(_instanceBreaker, (from, to, reason) =>
        {
            Resilience.ResilienceTelemetry.BreakerMoved(Service, method: null, from, to);
            if (to == Resilience.CircuitState.Open)
            {
                Log.InstanceCircuitOpened(_logger, address, Service, reason);
            }
            else
            {
                Log.InstanceCircuitMoved(_logger, address, Service, Resilience.ResilienceTelemetry.StateName(to), reason);
            }
        });
    }

    private sealed class State(ImmutableArray<BalancerEndpoint> endpoints, IEndpointPicker? picker)
    {
        public ImmutableArray<BalancerEndpoint> Endpoints { get; } = endpoints;

        /// <summary>Null when the service has no instances.</summary>
        public IEndpointPicker? Picker { get; } = picker;
    }
}
