using System.Diagnostics;
using Fitten.Client;
using Fitten.Discovery;

namespace Fitten.LoadBalancing;

/// <summary>
/// One instance as the client's balancer sees it: the instance, the load it carries (calls in flight, EWMA
/// latency and success rate) and whether passive health checking has ejected it. Lives as long as the instance
/// stays registered, across picker rebuilds, so its statistics survive instance changes.
/// </summary>
public sealed class BalancerEndpoint
{
    // go-zero's p2c_ewma constants (core/discov + zrpc/internal/balancer/p2c): statistics decay over 10 s,
    // a success rate scaled to 1000 marks an endpoint unhealthy under 500, and an endpoint with no latency
    // sample yet gets a large load so measured ones are preferred until it has one.
    private const double DecayTimeNs = 10e9;
    private const double InitialSuccess = 1000;
    private const double HealthySuccess = InitialSuccess / 2;
    private const double Penalty = 5e9;
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    private ServiceInstance _instance;
    private int _inFlight;
    private double _latencyNs;
    private double _success = InitialSuccess;
    private long _lastUpdate;
    private long _lastPicked;
    private long _ejectedUntil;
    private volatile bool _removed;

    /// <summary>Creates an endpoint for <paramref name="instance"/> with no statistics yet.</summary>
    public BalancerEndpoint(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _instance = instance;
        _lastUpdate = Stopwatch.GetTimestamp();
    }

    /// <summary>The instance; replaced when the registry publishes a new weight, zone or tags for its address.</summary>
    public ServiceInstance Instance
    {
        get => Volatile.Read(ref _instance);
        internal set => Volatile.Write(ref _instance, value);
    }

    /// <summary>The instance's circuit breaker, when the channel has instance breakers (<c>InstanceCircuitBreaker</c>).</summary>
    internal Resilience.CircuitBreaker? Breaker { get; init; }

    /// <summary>The state of the instance's circuit breaker; null when the channel has no instance breakers.</summary>
    public Resilience.CircuitState? CircuitState => Breaker?.State;

    /// <summary>Calls sent to this endpoint that have not completed.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Exponentially weighted moving average of call latency (decaying over 10 s); zero before the first call.</summary>
    public TimeSpan Latency => TimeSpan.FromTicks((long)(Volatile.Read(ref _latencyNs) / 100));

    /// <summary>
    /// Load as power-of-two-choices compares it: (√latency_ns + 1) × (in flight + 1), or a large penalty before the
    /// first latency sample (go-zero's formula: the square root damps latency so in-flight calls weigh more).
    /// </summary>
    public double Load
    {
        get
        {
            double latency = Volatile.Read(ref _latencyNs);
            return latency == 0 ? Penalty * (InFlight + 1) : (Math.Sqrt(latency) + 1) * (InFlight + 1);
        }
    }

    /// <summary>False while the EWMA success rate is under half (power-of-two-choices avoids such endpoints).</summary>
    public bool IsHealthy => Volatile.Read(ref _success) > HealthySuccess;

    /// <summary>True while passive health checking keeps this endpoint out of rotation.</summary>
    public bool IsEjected => IsEjectedAt(Environment.TickCount64);

    /// <summary>True once the instance left the registry; its connections are draining.</summary>
    public bool IsRemoved => _removed;

    /// <summary>The channel that carries this endpoint's calls (null in balancer unit tests and benchmarks).</summary>
    internal FittenChannel? Channel { get; init; }

    /// <summary>End of the current ejection in <see cref="Environment.TickCount64"/> milliseconds; 0 when none.</summary>
    internal long EjectedUntil
    {
        get => Volatile.Read(ref _ejectedUntil);
        set => Volatile.Write(ref _ejectedUntil, value);
    }

    /// <summary>Health checking state, owned by the outlier detector under its lock.</summary>
    internal int ConsecutiveFailures;

    /// <summary>How many times in a row ejections multiplied the base ejection time.</summary>
    internal int EjectionCount;

    /// <summary>1 from an ejection until a call succeeds here after it ended, so the return is reported once.</summary>
    internal int ReturnPending;

    /// <summary>True unless ejected at <paramref name="nowMs"/> (a <see cref="Environment.TickCount64"/> reading).</summary>
    public bool IsEjectedAt(long nowMs) => Volatile.Read(ref _ejectedUntil) > nowMs;

    /// <summary>Records a call start; returns the timestamp to hand to <see cref="EndCall"/>.</summary>
    public long BeginCall()
    {
        Interlocked.Increment(ref _inFlight);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Records a call end: updates in-flight count, EWMA latency and success rate (go-zero's update rule).</summary>
    public void EndCall(long startTimestamp, bool success)
    {
        Interlocked.Decrement(ref _inFlight);
        long now = Stopwatch.GetTimestamp();
        long last = Interlocked.Exchange(ref _lastUpdate, now);

        // The weight of history decays with the time since the previous sample, not per sample, so a busy
        // endpoint and a quiet one forget at the same speed.
        double w = Math.Exp(-Math.Max(0, now - last) * NsPerTick / DecayTimeNs);
        double latency = Math.Max(0, now - startTimestamp) * NsPerTick;
        double oldLatency = Volatile.Read(ref _latencyNs);
        if (oldLatency == 0)
        {
            w = 0;
        }

        Volatile.Write(ref _latencyNs, (oldLatency * w) + (latency * (1 - w)));
        Volatile.Write(ref _success, (Volatile.Read(ref _success) * w) + ((success ? InitialSuccess : 0) * (1 - w)));
    }

    /// <summary>
    /// Stamps a power-of-two-choices pick and says whether this endpoint went unpicked for over
    /// <paramref name="forcePickTicks"/>: then it is picked anyway, so its latency sample cannot go stale forever.
    /// </summary>
    internal bool TryForcePick(long now, long forcePickTicks)
    {
        long lastPicked = Volatile.Read(ref _lastPicked);
        return now - lastPicked > forcePickTicks && Interlocked.CompareExchange(ref _lastPicked, now, lastPicked) == lastPicked;
    }

    internal void MarkPicked(long now) => Volatile.Write(ref _lastPicked, now);

    internal void MarkRemoved() => _removed = true;

    /// <inheritdoc/>
    public override string ToString() => Instance.Address;
}
