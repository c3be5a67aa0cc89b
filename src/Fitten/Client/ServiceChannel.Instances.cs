using System.Collections.Immutable;
using System.Diagnostics;
using Fitten.Discovery;
using Fitten.Internal;
using Fitten.LoadBalancing;

namespace Fitten.Client;

public sealed partial class ServiceChannel
{
    /// <summary>Wait before watching again after the watch ended or failed; grows ×1.6 (jittered) up to the maximum.</summary>
    private static readonly TimeSpan MinRewatchDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRewatchDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WatchStopTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _updateLock = new();
    private readonly List<Task> _draining = [];
    private readonly Task _watch;

    /// <summary>Called for each snapshot the watcher yields (from its thread); swaps the balancer state.</summary>
    internal void Apply(ServiceInstanceSet set)
    {
        List<BalancerEndpoint>? removed = null;
        int added = 0;
        lock (_updateLock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            var old = _state?.Endpoints ?? [];
            var byAddress = new Dictionary<string, BalancerEndpoint>(old.Length, StringComparer.OrdinalIgnoreCase);
            foreach (var endpoint in old)
            {
                byAddress[endpoint.Instance.Address] = endpoint;
            }

            var endpoints = ImmutableArray.CreateBuilder<BalancerEndpoint>(set.Instances.Length);
            foreach (var instance in set.Instances)
            {
                // Same address, same endpoint: its connections and load statistics carry over a weight or tag change.
                if (byAddress.Remove(instance.Address, out var existing))
                {
                    existing.Instance = instance;
                    endpoints.Add(existing);
                }
                else
                {
                    endpoints.Add(new BalancerEndpoint(instance) { Channel = new FittenChannel(instance.ToEndPoint(), _options.Channel), Breaker = CreateInstanceBreaker(instance) });
                    added++;
                }
            }

            var current = endpoints.MoveToImmutable();
            _state = new State(current, current.IsEmpty ? null : _policy.CreatePicker(current));
            LoadBalancingTelemetry.InstancesChanged(Service, current.Length - old.Length);
            Log.InstancesChanged(_logger, Service, current.Length, set.Revision, added, byAddress.Count);
            if (byAddress.Count > 0)
            {
                removed = [.. byAddress.Values];
            }
        }

        _firstSnapshot.TrySetResult();
        if (removed is not null)
        {
            foreach (var endpoint in removed)
            {
                // Calls already on it finish (FittenChannel drains up to 5 s); new calls cannot pick it any more.
                endpoint.MarkRemoved();
                lock (_draining)
                {
                    _draining.RemoveAll(static t => t.IsCompleted);
                    _draining.Add(endpoint.Channel!.DisposeAsync().AsTask());
                }
            }
        }
    }

    private async Task WatchAsync(IServiceWatcher watcher)
    {
        // Leave the constructor before enumerating: a watcher may yield synchronously.
        await Task.Yield();
        var backoff = new Backoff(MinRewatchDelay, MaxRewatchDelay);
        int failures = 0;
        while (!_disposed.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                await foreach (var set in watcher.WatchAsync(Service, _disposed.Token).ConfigureAwait(false))
                {
                    Apply(set);
                    backoff.Reset();
                    if (failures != 0)
                    {
                        Log.RegistryReachable(_logger, Service, failures, set.Instances.Length);
                        failures = 0;
                    }
                }
            }
            catch (Exception) when (_disposed.IsCancellationRequested)
            {
                // Disposed: whatever the watcher threw on cancellation is no registry failure.
                return;
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            var delay = backoff.Next();
            if (failure is not null)
            {
                // The registry is unreachable: keep calling the last known instances and try again later. Said
                // once as a warning; the retries that follow are Debug, so an outage does not flood the log.
                if (++failures == 1)
                {
                    Log.RegistryUnreachable(_logger, failure, Service, failure.Message, Endpoints.Length, delay.TotalSeconds);
                }
                else
                {
                    Log.RegistryStillUnreachable(_logger, Service, failure.Message, failures, delay.TotalSeconds);
                }
            }

            try
            {
                await Task.Delay(delay, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits for the watcher's first snapshot, within the call's deadline and <see cref="ServiceChannelOptions.ResolveTimeout"/>,
    /// whichever comes first. Null state with a status when it did not come.
    /// </summary>
    private async ValueTask<(State? State, StatusCode Code, string? Message)> WaitForFirstSnapshotAsync(long deadline, CancellationToken cancellationToken, ServerCallContext? inbound)
    {
        var left = Deadline.Remaining(deadline);
        bool callDeadline = left != Timeout.InfiniteTimeSpan && left <= _options.ResolveTimeout;
        try
        {
            await _firstSnapshot.Task.WaitAsync(callDeadline ? left : _options.ResolveTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (callDeadline)
        {
            return (null, StatusCode.DeadlineExceeded, $"No instances of '{Service}' were resolved before the deadline.");
        }
        catch (TimeoutException)
        {
            return (null, StatusCode.Unavailable, $"The registry did not answer for '{Service}' within {_options.ResolveTimeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException)
        {
            var code = ClientCall.CancelledStatus(inbound);
            return (null, code, ClientCall.Describe(code));
        }

        return (_state!, StatusCode.OK, null);
    }

    /// <summary>Stops watching, lets calls in flight finish (up to 5 s per instance), and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        ImmutableArray<BalancerEndpoint> endpoints;
        lock (_updateLock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            endpoints = _state?.Endpoints ?? [];
            LoadBalancingTelemetry.InstancesChanged(Service, -endpoints.Length);
        }

        // A watcher that ignores cancellation must not hang disposal: give it a bounded time.
        await _watch.WaitAsync(WatchStopTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var closing = new List<Task>(endpoints.Length);
        foreach (var endpoint in endpoints)
        {
            closing.Add(endpoint.Channel!.DisposeAsync().AsTask());
        }

        lock (_draining)
        {
            closing.AddRange(_draining);
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        _disposed.Dispose();
    }
}
