using Fitten.Resilience;

namespace Fitten.Tests.Resilience;

/// <summary>The breaker's state machine on its own: probes, abandoned probes, what counts.</summary>
public sealed class CircuitBreakerStateTests
{
    private readonly List<(CircuitState From, CircuitState To)> _moves = [];

    private CircuitBreaker Create(int minimum = 4, int probes = 2, TimeSpan? brk = null)
        => new(new CircuitBreakerPolicy { MinimumThroughput = minimum, HalfOpenProbes = probes, BreakDuration = brk ?? TimeSpan.FromMilliseconds(20) },
            (from, to, _) => _moves.Add((from, to)));

    private static void Fail(CircuitBreaker breaker, int times)
    {
        for (int i = 0; i < times; i++)
        {
            Assert.True(breaker.TryEnter(out int probe));
            breaker.OnOutcome(StatusCode.Unavailable, notProcessed: false, 0, probe);
        }
    }

    [Fact]
    public void BelowMinimumThroughput_NeverOpens()
    {
        var breaker = Create(minimum: 10);
        Fail(breaker, 9);

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task HalfOpen_LetsOnlyItsProbesThrough_AbandonedProbeFreesItsSlot_AllGoodCloses()
    {
        var breaker = Create();
        Fail(breaker, 4);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryEnter(out _));
        await Task.Delay(40);

        Assert.True(breaker.TryEnter(out int first));
        Assert.True(breaker.TryEnter(out int second));
        Assert.True(first != 0 && second != 0);
        Assert.False(breaker.TryEnter(out _)); // both probes are out

        breaker.OnOutcome(StatusCode.Cancelled, notProcessed: false, 0, first); // no verdict: the slot is free again
        Assert.True(breaker.TryEnter(out int third));
        Assert.True(third != 0);
        breaker.OnOutcome(StatusCode.OK, false, 0, second);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.OnOutcome(StatusCode.OK, false, 0, third);

        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal([(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)], _moves);
    }

    [Fact]
    public async Task FailedProbe_OpensAgain_ForTwiceAsLong()
    {
        var breaker = Create(brk: TimeSpan.FromMilliseconds(50));
        Fail(breaker, 4);
        long firstBreak = breaker.OpenUntilMs - Environment.TickCount64;
        await Task.Delay(80);

        Assert.True(breaker.TryEnter(out int probe));
        breaker.OnOutcome(StatusCode.Internal, false, 0, probe);

        Assert.Equal(CircuitState.Open, breaker.State);
        long secondBreak = breaker.OpenUntilMs - Environment.TickCount64;
        Assert.InRange(firstBreak, 1, 50);
        Assert.InRange(secondBreak, 60, 100);
    }

    [Fact]
    public void CallersMistakes_AndUnprocessedDeadlines_DoNotCount()
    {
        var breaker = Create(minimum: 2);
        for (int i = 0; i < 10; i++)
        {
            breaker.OnOutcome(StatusCode.InvalidArgument, false, 0, 0);
            breaker.OnOutcome(StatusCode.NotFound, false, 0, 0);
            breaker.OnOutcome(StatusCode.DeadlineExceeded, notProcessed: true, 0, 0);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task ProbeThatNeverAnswers_DoesNotKeepTheBreakerRefusingForever()
    {
        // One probe, taken and never reported (a call hung on a live connection, no timeout): once it has had a break's
        // length to answer, the breaker opens again and later probes go through.
        var breaker = Create(probes: 1, brk: TimeSpan.FromMilliseconds(20));
        Fail(breaker, 4);
        await Task.Delay(40);
        Assert.True(breaker.TryEnter(out _));

        bool probedAgain = false;
        for (int i = 0; i < 100 && !probedAgain; i++)
        {
            await Task.Delay(10);
            probedAgain = breaker.TryEnter(out var probe) && !Equals(probe, default(bool)) && !Equals(probe, default(int));
        }

        Assert.True(probedAgain, $"still {breaker.State}, refusing");
    }

    [Fact]
    public async Task ProbeFromAnEarlierHalfOpen_DoesNotCountInTheNext()
    {
        var breaker = Create(probes: 2, brk: TimeSpan.FromMilliseconds(20));
        Fail(breaker, 4);
        await Task.Delay(40);
        Assert.True(breaker.TryEnter(out var first));
        Assert.True(breaker.TryEnter(out var late));
        breaker.OnOutcome(StatusCode.Internal, false, 0, first); // opens again; the second probe is still out
        await Task.Delay(80);

        Assert.True(breaker.TryEnter(out var fresh));
        breaker.OnOutcome(StatusCode.OK, false, 0, late);  // from the earlier half-open: not one of this period's probes
        breaker.OnOutcome(StatusCode.OK, false, 0, fresh);

        Assert.Equal(CircuitState.HalfOpen, breaker.State); // one good probe of two: not closed yet
    }
}
