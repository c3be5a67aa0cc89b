using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Fitten.Discovery;
using Fitten.Health;
using Fitten.LoadBalancing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fitten.Client;

/// <summary>
/// Calls a service by name: follows its instances through an <see cref="IServiceWatcher"/>, keeps one
/// <see cref="FittenChannel"/> per instance, and spreads calls over them with a load-balancing policy.
/// Instances that refuse connections or keep failing are ejected for a while (passive health checking), and a
/// call an instance could not take is sent to another. Thread-safe; create one per service and share it.
/// </summary>
public sealed partial class ServiceChannel : ICallInvoker, IAsyncDisposable
{
    private readonly ServiceChannelOptions _options;
    private readonly ILoadBalancingPolicy _policy;
    private readonly OutlierDetector _outliers;
    private readonly ILogger _logger;
    private volatile State? _state;

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
        _outliers = new OutlierDetector(_options.OutlierDetection);
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

    /// <summary>
    /// Makes a unary call on an instance the policy picks. Completes with the response or throws
    /// <see cref="RpcException"/>: UNAVAILABLE (not processed) when the service has no instances or none could
    /// take the call after <see cref="ServiceChannelOptions.MaxFailovers"/> others were tried.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        long start = Stopwatch.GetTimestamp();
        var state = _state ?? await WaitForFirstSnapshotAsync(options).ConfigureAwait(false);
        var context = PickContext.ForKey(options.HashKey ?? (_options.HashKeyHeader is null ? null : options.Headers?.GetValue(_options.HashKeyHeader)));
        var attemptOptions = options;
        BalancerEndpoint? previous = null;
        for (int attempt = 0; ; attempt++)
        {
            state = _state ?? state;
            if (state.Picker is null)
            {
                throw new RpcException(StatusCode.Unavailable, $"No instances of '{Service}' are registered.") { NotProcessed = true };
            }

            var endpoint = PickOther(state, context, previous);
            long callStart = endpoint.BeginCall();
            try
            {
                var response = await endpoint.Channel!.InvokeAsync(method, request, attemptOptions).ConfigureAwait(false);
                endpoint.EndCall(callStart, success: true);
                if (_outliers.OnSuccess(endpoint))
                {
                    Log.InstanceReturned(_logger, endpoint.Instance.Address, Service);
                }

                return response;
            }
            catch (RpcException ex)
            {
                endpoint.EndCall(callStart, success: !OutlierDetector.IsServerFailure(ex.StatusCode));
                bool unreachable = ex.NotProcessed && ex.StatusCode == StatusCode.Unavailable;

                // Refused with no connection open means nothing listens there; refused on an open connection
                // means busy or going away, which the instance's own channel already retried.
                bool refused = unreachable && endpoint.Channel!.OpenConnections == 0;
                long now = Environment.TickCount64;
                if (_outliers.OnFailure(endpoint, ex.StatusCode, refused, state.Endpoints, now))
                {
                    LoadBalancingTelemetry.Ejected(Service, endpoint);
                    LogEjected(endpoint, refused, ex.StatusCode, now);
                }

                if (!unreachable || attempt >= _options.MaxFailovers)
                {
                    throw;
                }
            }
            catch (ObjectDisposedException) when (endpoint.IsRemoved)
            {
                // The instance left the registry between the pick and the call: the call never went out.
                endpoint.EndCall(callStart, success: true);
                if (attempt >= _options.MaxFailovers)
                {
                    throw new RpcException(StatusCode.Unavailable, $"Instance {endpoint} of '{Service}' was removed.") { NotProcessed = true };
                }
            }

            previous = endpoint;
            attemptOptions = RemainingTime(options, method.Timeout, start);
            LoadBalancingTelemetry.FailedOver(Service);
        }
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

    /// <summary>A pick avoiding <paramref name="previous"/> (the instance that just failed) when there is a choice.</summary>
    private static BalancerEndpoint PickOther(State state, in PickContext context, BalancerEndpoint? previous)
    {
        var endpoint = state.Picker!.Pick(context);
        if (previous is null || endpoint != previous || state.Endpoints.Length < 2)
        {
            return endpoint;
        }

        // A hash ring or a lone healthy instance may keep answering the same one: take the next one along.
        long now = Environment.TickCount64;
        var endpoints = state.Endpoints;
        int at = endpoints.IndexOf(previous);
        for (int i = 1; i < endpoints.Length; i++)
        {
            var next = endpoints[(at + i) % endpoints.Length];
            if (!next.IsEjectedAt(now))
            {
                return next;
            }
        }

        return endpoints[(at + 1) % endpoints.Length];
    }

    /// <summary>Options for a failover attempt: what is left of the call's timeout, so failovers never extend it.</summary>
    private CallOptions RemainingTime(CallOptions options, TimeSpan? methodTimeout, long start)
    {
        var timeout = options.Timeout ?? methodTimeout ?? _options.Channel.DefaultTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return options;
        }

        var left = timeout - Stopwatch.GetElapsedTime(start);
        if (left <= TimeSpan.Zero)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }

        return options with { Timeout = left };
    }

    private sealed class State(ImmutableArray<BalancerEndpoint> endpoints, IEndpointPicker? picker)
    {
        public ImmutableArray<BalancerEndpoint> Endpoints { get; } = endpoints;

        /// <summary>Null when the service has no instances.</summary>
        public IEndpointPicker? Picker { get; } = picker;
    }
}
