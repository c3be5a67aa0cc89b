using System.Diagnostics;

namespace Fitten.Resilience;

/// <summary>
/// One circuit breaker's state machine (<see cref="CircuitBreakerOptions"/> documents the behaviour). Closed, a call
/// costs a volatile read to enter and an interlocked increment to record; only failures and slow calls read the
/// window, and only transitions take the lock. Thread-safe.
/// </summary>
internal sealed class CircuitBreaker
{
    private const int Total = 0;
    private const int Failures = 1;
    private const int Slow = 2;

    private readonly CircuitBreakerPolicy _policy;
    private readonly Action<CircuitState, CircuitState, string> _onTransition;
    private readonly SlidingCounts _counts = new(3);
    private readonly RecentLatencies? _latencies;
    private readonly long _slowTicks;
    private readonly Lock _lock = new();
    private volatile CircuitState _state;
    private long _openUntilMs;
    private long _closedSinceMs = long.MinValue / 2;
    private int _trips;
    private int _probesIssued;
    private int _probesSucceeded;
    private int _generation;
    private long _halfOpenSinceMs;

    public CircuitBreaker(CircuitBreakerPolicy policy, Action<CircuitState, CircuitState, string> onTransition)
    {
        _policy = policy;
        _onTransition = onTransition;
        _slowTicks = policy.SlowCallThreshold is { } threshold ? (long)(threshold.TotalSeconds * Stopwatch.Frequency) : -1;
        if (_slowTicks < 0 && policy.SlowCallP95Multiple is not null)
        {
            _latencies = new RecentLatencies(0.95);
        }
    }

    public CircuitState State => _state;

    /// <summary>When the current break ends (Environment.TickCount64 ms); meaningful while open.</summary>
    public long OpenUntilMs => Volatile.Read(ref _openUntilMs);

    /// <summary>
    /// Whether a call may go through now; <paramref name="probe"/>: 0, or the call is one of the half-open probes and
    /// this is its token (the half-open period's number), to hand back with its outcome (<see cref="OnOutcome"/> or
    /// <see cref="OnProbeAbandoned"/>). A probe reported after its period ended is ignored; probes that have not
    /// answered within a break's length count as failed, so a hung probe cannot keep the breaker refusing.
    /// </summary>
    public bool TryEnter(out int probe)
    {
        probe = 0;
        if (_state == CircuitState.Closed)
        {
            return true;
        }

        lock (_lock)
        {
            long now = Environment.TickCount64;
            if (_state == CircuitState.Open)
            {
                if (now < _openUntilMs)
                {
                    return false;
                }

                _generation = _generation == int.MaxValue ? 1 : _generation + 1;
                _halfOpenSinceMs = now;
                MoveLocked(CircuitState.HalfOpen, "the break ended");
            }

            if (_state == CircuitState.HalfOpen)
            {
                if (_probesIssued >= _policy.HalfOpenProbes)
                {
                    if (now - _halfOpenSinceMs >= _policy.BreakDuration.TotalMilliseconds)
                    {
                        OpenLocked(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_probesIssued - _probesSucceeded} probe(s) did not answer within {_policy.BreakDuration.TotalMilliseconds:0} ms"), now);
                    }

                    return false;
                }

                _probesIssued++;
                probe = _generation;
            }

            return true;
        }
    }

    /// <summary>Records an attempt's outcome; the caller's own failures (a request too large to send) count for nothing.</summary>
    public void OnOutcome<TResponse>(in Pipeline.CallOutcome<TResponse> outcome, long elapsedTicks, int probe)
    {
        if (outcome.ResponseHeaders?.GetValue(FittenHeaders.RequestTooLarge) is not null)
        {
            if (probe != 0)
            {
                OnProbeAbandoned(probe);
            }

            return;
        }

        OnOutcome(outcome.Status.Code, outcome.NotProcessed, elapsedTicks, probe);
    }

    /// <summary>Records a call's outcome (<paramref name="elapsedTicks"/>: its duration in Stopwatch ticks).</summary>
    public void OnOutcome(StatusCode code, bool notProcessed, long elapsedTicks, int probe)
    {
        bool failed = IsFailure(code, notProcessed);
        if (!failed && code != StatusCode.OK)
        {
            // Neither success nor failure (the caller's mistake, a cancellation): says nothing about the method.
            if (probe != 0)
            {
                OnProbeAbandoned(probe);
            }

            return;
        }

        bool slow = !failed && IsSlow(elapsedTicks);
        if (code == StatusCode.OK && _latencies is not null)
        {
            _latencies.Record(elapsedTicks);
        }

        if (probe != 0)
        {
            OnProbeOutcome(probe, failed || slow, failed ? Status.CodeName(code) : "slow");
            return;
        }

        long second = SlidingCounts.Now;
        _counts.Add(Total, second);
        if (!failed && !slow)
        {
            return;
        }

        _counts.Add(failed ? Failures : Slow, second);
        long total = _counts.Sum(Total, second);
        if (_state != CircuitState.Closed || total < _policy.MinimumThroughput)
        {
            return;
        }

        long failures = _counts.Sum(Failures, second);
        long slowCalls = _counts.Sum(Slow, second);
        string? reason = failures >= _policy.FailureRatio * total ? $"{failures} of {total} calls failed in 10 s"
            : _policy.TracksSlowCalls && slowCalls >= _policy.SlowCallRatio * total ? $"{slowCalls} of {total} calls were slow in 10 s"
            : null;
        if (reason is not null)
        {
            lock (_lock)
            {
                if (_state == CircuitState.Closed)
                {
                    OpenLocked(reason, Environment.TickCount64);
                }
            }
        }
    }

    /// <summary>A probe ended without a verdict (cancelled, the caller's own error): its slot goes to another call.</summary>
    public void OnProbeAbandoned(int probe)
    {
        lock (_lock)
        {
            if (_state == CircuitState.HalfOpen && probe == _generation && _probesIssued > _probesSucceeded)
            {
                _probesIssued--;
            }
        }
    }

    private void OnProbeOutcome(int probe, bool bad, string what)
    {
        lock (_lock)
        {
            if (_state != CircuitState.HalfOpen || probe != _generation)
            {
                return; // a probe of an earlier half-open period: its verdict was given, or no longer matters
            }

            long now = Environment.TickCount64;
            if (bad)
            {
                OpenLocked($"a probe failed ({what})", now);
            }
            else if (++_probesSucceeded >= _policy.HalfOpenProbes)
            {
                _counts.Clear();
                _closedSinceMs = now;
                MoveLocked(CircuitState.Closed, $"{_probesSucceeded} probes succeeded");
            }
        }
    }

    private bool IsFailure(StatusCode code, bool notProcessed)
        => code != StatusCode.OK && !(code == StatusCode.DeadlineExceeded && notProcessed) && _policy.FailureStatusCodes.Contains(code);

    private bool IsSlow(long elapsedTicks)
    {
        if (_slowTicks >= 0)
        {
            return elapsedTicks > _slowTicks;
        }

        return _latencies is not null && _latencies.Quantile is var p95 and > 0 && elapsedTicks > p95 * _policy.SlowCallP95Multiple!.Value;
    }

    private void OpenLocked(string reason, long now)
    {
        // Trips in a row double the break; a breaker that stayed closed for the longest break starts over.
        if (_state == CircuitState.Closed && now - _closedSinceMs >= _policy.MaxBreakDuration.TotalMilliseconds)
        {
            _trips = 0;
        }

        double ms = Math.Min(_policy.BreakDuration.TotalMilliseconds * Math.Pow(2, Math.Min(_trips, 30)), _policy.MaxBreakDuration.TotalMilliseconds);
        _trips++;
        Volatile.Write(ref _openUntilMs, now + (long)ms);
        MoveLocked(CircuitState.Open, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reason}; open for {ms:0} ms"));
    }

    private void MoveLocked(CircuitState to, string reason)
    {
        var from = _state;
        _probesIssued = 0;
        _probesSucceeded = 0;
        _state = to;
        _onTransition(from, to, reason);
    }
}
