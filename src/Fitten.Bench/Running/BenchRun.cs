using System.Diagnostics;
using Fitten.Bench.Load;
using Fitten.Bench.Load.Internal;
using Fitten.Bench.Measurement;
using Fitten.Bench.Measurement.Internal;
using Fitten.Bench.Running.Internal;
using Fitten.Bench.Targets;
using Fitten.Bench.Tracing;

namespace Fitten.Bench.Running;

/// <summary>
/// A run in progress: poll <see cref="GetProgress"/> for a live display, await <see cref="Completion"/> for the result.
/// Started by <see cref="BenchRunner.StartAsync"/>.
/// </summary>
public sealed partial class BenchRun
{
    private readonly BenchScenario _scenario;
    private readonly Timeline _timeline;
    private readonly Pacer _pacer;
    private readonly SecondSeries _series = new();
    private readonly Worker[] _workers;
    private readonly long _lateTicks;
    private readonly long _timeoutTicks;
    private readonly long _oneMillisecond = Stopwatch.Frequency / 1000;
    private readonly DateTimeOffset _startedAt;
    private readonly bool _counted;
    private long _budget;
    private int _phase;

    private BenchRun(BenchScenario scenario, CancellationToken cancellationToken)
    {
        _scenario = scenario;
        var now = Stopwatch.GetTimestamp();
        _startedAt = DateTimeOffset.UtcNow + scenario.Warmup;
        _timeline = new Timeline(now, scenario.Warmup, scenario.Load, scenario.EffectiveDuration);
        _pacer = Pacer.Create(scenario.Load.Model, _timeline);
        _lateTicks = Timeline.ToTicks(scenario.LateStartTolerance);
        _timeoutTicks = Timeline.ToTicks(scenario.RequestTimeout);
        _budget = scenario.Requests ?? long.MaxValue;
        _counted = scenario.Requests is not null;
        _workers = new Worker[scenario.EffectiveConnections];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(i, new WorkerRecorder(_series, _timeline.MeasureStart), scenario.Target.CreateSender(), cancellationToken);
        }

        Completion = RunAsync(cancellationToken);
    }

    /// <summary>Completes with the result when the run ends (or is cancelled).</summary>
    public Task<BenchResult> Completion { get; }

    /// <summary>The scenario being run.</summary>
    public BenchScenario Scenario => _scenario;

    internal static BenchRun Start(BenchScenario scenario, CancellationToken cancellationToken) => new(scenario, cancellationToken);

    /// <summary>A snapshot for a live display. Cheap enough to call a few times per second.</summary>
    public BenchProgress GetProgress()
    {
        var now = Stopwatch.GetTimestamp();
        long requests = 0, errors = 0, late = 0;
        foreach (var w in _workers)
        {
            requests += w.Recorder.Requests;
            errors += w.Recorder.Errors;
            late += w.Recorder.LateStarts;
        }

        var phase = (BenchPhase)Volatile.Read(ref _phase);
        if (phase == BenchPhase.Warmup)
        {
            phase = now >= _timeline.End ? BenchPhase.Draining : now >= _timeline.MeasureStart ? BenchPhase.Measuring : BenchPhase.Warmup;
        }

        var measured = now > _timeline.MeasureStart ? Stopwatch.GetElapsedTime(_timeline.MeasureStart, now) : TimeSpan.Zero;
        return new BenchProgress(
            phase,
            Stopwatch.GetElapsedTime(_timeline.Start, now),
            measured,
            _scenario.EffectiveDuration,
            requests,
            errors,
            late,
            TimeSpan.FromMicroseconds(_series.P99SoFarMicros()),
            now < _timeline.MeasureStart ? 0 : _timeline.StageAt(now));
    }

    private async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        // Yield first so Start returns at once, before any worker runs.
        await Task.Yield();
        var tasks = new Task[_workers.Length];
        using var watchdog = new Timer(CheckTimeouts, null, WatchdogPeriod(), WatchdogPeriod());
        for (var i = 0; i < _workers.Length; i++)
        {
            tasks[i] = RunWorkerAsync(_workers[i], cancellationToken);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _phase, (int)BenchPhase.Completed);
            foreach (var w in _workers)
            {
                await w.Sender.DisposeAsync().ConfigureAwait(false);
                w.Dispose();
            }
        }

        return BuildResult(Stopwatch.GetTimestamp());
    }

    // The watchdog's period sets how precisely timeouts fire: a tenth of the timeout, at most 100 ms.
    private TimeSpan WatchdogPeriod() => TimeSpan.FromTicks(Math.Clamp(_scenario.RequestTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond, 100 * TimeSpan.TicksPerMillisecond));

    private void CheckTimeouts(object? state)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var w in _workers)
        {
            w.CancelIfOverdue(now, _timeoutTicks);
        }
    }

    // The hot loop: no LINQ, no closures, no allocation per request beyond what the sender does.
    private async Task RunWorkerAsync(Worker worker, CancellationToken runToken)
    {
        await Task.Yield();
        var recorder = worker.Recorder;
        var ratio = _scenario.TraceSampleRatio;
        while (!runToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var decision = _pacer.Next(worker.Index, now);
            if (decision.Action == PaceAction.Stop)
            {
                break;
            }

            if (decision.Action == PaceAction.Wait)
            {
                await worker.Delay.WaitAsync(Stopwatch.GetElapsedTime(now, decision.Timestamp)).ConfigureAwait(false);
                continue;
            }

            var intended = decision.Timestamp;
            // Timers fire up to a millisecond (plus a thread-pool hop) after they are due. Waking exactly at the
            // due time would make every request start late and add that error to the latency measured from it;
            // so wake 1 to 2 ms early and send then: an early request is timed from when it was actually sent,
            // and the price is arrivals bunched at millisecond scale, which wrk2's timers have too.
            if (intended - now > 3 * _oneMillisecond)
            {
                await worker.Delay.WaitAsync(Stopwatch.GetElapsedTime(now, intended - (2 * _oneMillisecond))).ConfigureAwait(false);
                now = Stopwatch.GetTimestamp();
            }

            var measured = intended >= _timeline.MeasureStart;

            // Only a counted run touches the shared budget: an interlocked write per request bounces a cache line.
            if (measured && _counted && Interlocked.Decrement(ref _budget) < 0)
            {
                break;
            }

            var trace = ratio > 0 && worker.Random.NextDouble() < ratio ? TraceContext.NewRandom(worker.Random) : TraceContext.None;
            RequestOutcome outcome;
            worker.BeginRequest(now);
            try
            {
                outcome = await worker.Sender.SendAsync(trace, worker.RequestToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
            {
                outcome = RequestOutcome.Failure(ErrorKinds.Timeout);
                worker.RenewRequestToken();
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                worker.EndRequest();
            }

            var end = Stopwatch.GetTimestamp();
            if (!measured)
            {
                recorder.RecordWarmup();
            }
            else
            {
                // Latency runs from the intended send time, so a late start counts its wait (the coordinated-omission
                // correction); a request sent a little early (timer granularity) is timed from when it was sent.
                recorder.Record(outcome, Math.Min(intended, now), end, now - intended > _lateTicks, trace);
            }

            if (outcome.ErrorKind is ErrorKinds.Connect)
            {
                // A refused connection fails in microseconds: pause so a dead server does not become a busy loop.
                await worker.Delay.WaitAsync(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
            }
        }
    }
}
