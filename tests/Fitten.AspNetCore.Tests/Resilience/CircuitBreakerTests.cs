using System.Diagnostics;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.LoadBalancing;
using Fitten.Resilience;

namespace Fitten.AspNetCore.Tests.Resilience;

/// <summary>
/// The method circuit breaker over real instances: it opens on errors and on slow calls, fails calls at once while
/// open (the servers see none), closes only after its probes succeed, and under a 50% error rate that straddles its
/// threshold its breaks grow instead of it flapping. Transitions are counted from the channel's own log.
/// </summary>
public sealed class CircuitBreakerTests : InstancesTest
{
    private readonly CapturingLoggerProvider _logs = new();

    private int Opened => _logs.Events(300).Length;

    private int Closed => _logs.Events(302).Length;

    private async Task<ServiceChannel> CreateAsync(int instances, Action<CircuitBreakerOptions> breaker, Action<ClientPolicyOptions>? policy = null)
    {
        for (int i = 0; i < instances; i++)
        {
            await Registry.RegisterAsync(Servers[i].Instance());
        }

        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin };
        options.OutlierDetection.Enabled = false; // the method breaker alone decides here
        options.Channel.Policy.CircuitBreaker.Enabled = true;
        breaker(options.Channel.Policy.CircuitBreaker);
        policy?.Invoke(options.Channel.Policy);
        return new ServiceChannel(InstanceServer.Service, Registry, options, _logs.CreateFactory());
    }

    private static async Task<StatusCode> CallAsync(ServiceChannel channel)
    {
        try
        {
            await channel.InvokeAsync(InstanceServer.Read, "", Call);
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Fact]
    public async Task Errors_OpenTheBreaker_CallsFailAtOnceUnsent_ThenProbesCloseIt()
    {
        SetAll(s => s.FailWith = StatusCode.Internal);

        await using var channel = await CreateAsync(3, b =>
        {
            b.MinimumThroughput = 10;
            b.BreakDuration = TimeSpan.FromMilliseconds(500);
        });
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(StatusCode.Internal, await CallAsync(channel));
        }

        Assert.Equal(1, Opened);
        var open = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
        Assert.Equal(StatusCode.Unavailable, open.StatusCode);
        Assert.True(open.NotProcessed);
        Assert.NotNull(open.ResponseHeaders?.GetValue(FittenHeaders.CircuitOpen));
        Assert.Equal(10, ServedCalls); // neither the rejected call nor a retry of it reached a server

        SetAll(s => s.FailWith = null);

        await Task.Delay(600);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(StatusCode.OK, await CallAsync(channel));
        }

        Assert.Equal(1, Closed);
        Assert.Single(_logs.Events(301)); // half-open once, then closed by its three probes
        Assert.Contains("3 probes succeeded", _logs.Events(302)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowCalls_OpenTheBreaker()
    {
        SetAll(s => s.Delay = TimeSpan.FromMilliseconds(150));

        await using var channel = await CreateAsync(3, b =>
        {
            b.MinimumThroughput = 5;
            b.SlowCallThreshold = TimeSpan.FromMilliseconds(50);
        });
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(StatusCode.OK, await CallAsync(channel));
        }

        Assert.Equal(1, Opened);
        Assert.Contains("were slow", _logs.Events(300)[0].Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, await CallAsync(channel));
        Assert.Equal(5, ServedCalls);
    }

    [Fact]
    public async Task FiftyPercentErrors_AtTheThreshold_BreaksGrow_NoFlapping()
    {
        // Two instances, one failing, round robin: exactly every other call fails, so the failure ratio sits on the
        // 50% threshold. Each break ends in three probes, alternately failing, so the breaker never closes, and each
        // trip in a row doubles the break (100, 200, 400, 800 ms, capped): few transitions, not one per break.
        Servers[1].FailWith = StatusCode.Unavailable;
        await using var channel = await CreateAsync(2, b =>
        {
            b.MinimumThroughput = 4;
            b.BreakDuration = TimeSpan.FromMilliseconds(100);
            b.MaxBreakDuration = TimeSpan.FromMilliseconds(800);
        });
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && calls < 100_000)
        {
            await CallAsync(channel);
            calls++;
            await Task.Delay(1);
        }

        // Without growth a 100 ms break would open ~30 times in 3 s; with it: 100+200+400+800+800… about 6.
        Console.WriteLine($"50% errors for 3 s: {calls} calls, opened {Opened} times, closed {Closed} times");
        Assert.InRange(Opened, 2, 8);
        Assert.Equal(0, Closed);
    }

    [Fact]
    public async Task UnrelatedStatuses_DoNotCount()
    {
        SetAll(s => s.FailWith = StatusCode.NotFound);

        await using var channel = await CreateAsync(3, b => b.MinimumThroughput = 5);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(StatusCode.NotFound, await CallAsync(channel));
        }

        Assert.Equal(0, Opened);
        Assert.Equal(20, ServedCalls);
    }

    [Fact]
    public async Task Fallback_AnswersWhileTheBreakerIsOpen_MarkedInTheOutcome()
    {
        SetAll(s => s.FailWith = StatusCode.Unavailable);

        await using var channel = await CreateAsync(3, b => b.MinimumThroughput = 5, p =>
        {
            p.RetryBudget.Enabled = false;
            p.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
            p.AddFallback(InstanceServer.Read, (request, failure) => new ValueTask<string>("cached:" + failure.Status.Code));
        });

        // The first calls fail for real (three attempts each) until the breaker opens; from then on the fallback
        // answers, and no call reaches a server.
        var answers = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            answers.Add(await channel.InvokeAsync(InstanceServer.Read, "", Call).AsTask().ContinueWith(t => t.IsFaulted ? "failed" : t.Result));
        }

        int served = ServedCalls;
        var outcome = await channel.Pipeline.SendAsync(InstanceServer.Read, "", Call);

        Assert.Equal(1, Opened);
        Assert.True(outcome.IsOk);
        Assert.Equal("cached:Unavailable", outcome.Response);
        Assert.Equal("circuit_open", outcome.ResponseHeaders?.GetValue(FittenHeaders.Fallback));
        Assert.Equal(served, ServedCalls);
        Assert.Contains("cached:Unavailable", answers); // the call that opened it: its retry met the open breaker
    }

    [Fact]
    public async Task Fallback_AnswersACallThatRanOutOfTime_AndOneTheBudgetLeftFailed()
    {
        await using var channel = await CreateAsync(3, b => b.Enabled = false, p =>
        {
            p.RetryBudget.Ratio = 0;
            p.RetryBudget.MinRetriesPerSecond = 0;
            p.AddFallback(InstanceServer.Read, "static");
        });

        SetAll(s => s.Delay = TimeSpan.FromSeconds(5));
        var late = await channel.Pipeline.SendAsync(InstanceServer.Read, "", CallOptions.WithTimeout(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(("static", "deadline"), (late.Response, late.ResponseHeaders?.GetValue(FittenHeaders.Fallback)));

        SetAll(s => s.Delay = TimeSpan.Zero);
        SetAll(s => s.FailWith = StatusCode.Unavailable);
        var refused = await channel.Pipeline.SendAsync(InstanceServer.Read, "", Call);
        Assert.Equal(("static", "retry_budget"), (refused.Response, refused.ResponseHeaders?.GetValue(FittenHeaders.Fallback)));

        // Other failures are the caller's to see: no fallback for a NOT_FOUND.
        SetAll(s => s.FailWith = StatusCode.NotFound);
        var notFound = await channel.Pipeline.SendAsync(InstanceServer.Read, "", Call);
        Assert.Equal(StatusCode.NotFound, notFound.Status.Code);
    }
}
