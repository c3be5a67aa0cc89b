using System.Diagnostics;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.LoadBalancing;
using Fitten.Resilience;

namespace Fitten.AspNetCore.Tests.Resilience;

/// <summary>
/// Backup requests over three real instances, one of them slow: the backup goes to another instance, the first answer
/// wins, the slow attempt is cancelled on the wire (its handler sees its token fire), and the tail latency falls.
/// Latencies are printed and asserted with wide margins; the measured comparison is the benchmark's (docs/benchmarks.md).
/// </summary>
public sealed class HedgingTests : InstancesTest
{
    protected override bool RegisterAll => true;

    private ServiceChannel Create(bool hedging)
    {
        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin };
        options.OutlierDetection.Enabled = false; // the slow instance stays in rotation: hedging alone must cope
        options.Channel.Policy.Hedging.Enabled = hedging;
        options.Channel.Policy.Hedging.Delay = TimeSpan.FromMilliseconds(20);
        options.Channel.Policy.RetryBudget.Enabled = false;
        return new ServiceChannel(InstanceServer.Service, Registry, options);
    }

    private static async Task<double[]> LatenciesAsync(ServiceChannel channel, Method<string, string> method, int calls)
    {
        var latencies = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await channel.InvokeAsync(method, "", Call);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(latencies);
        return latencies;
    }

    [Fact]
    public async Task OneSlowInstance_BackupWins_SlowAttemptCancelled_TailFalls()
    {
        Servers[2].Delay = TimeSpan.FromMilliseconds(400);
        await using var plain = Create(hedging: false);
        await using var hedged = Create(hedging: true);

        var without = await LatenciesAsync(plain, InstanceServer.Read, 30);
        int slowBefore = Servers[2].Calls;
        var with = await LatenciesAsync(hedged, InstanceServer.Read, 30);

        double p90Without = without[(int)(0.9 * without.Length)], p90With = with[(int)(0.9 * with.Length)];
        Console.WriteLine($"one of three instances 400 ms slow, 30 calls each: p90 {p90Without:0.0} ms without hedging, {p90With:0.0} ms with (backup after 20 ms)");
        Assert.True(p90Without >= 380, $"without hedging p90 {p90Without:0.0} ms");
        Assert.True(p90With < 250, $"with hedging p90 {p90With:0.0} ms");

        // Every attempt on the slow instance was cancelled once a backup elsewhere answered, except where the slow one
        // answered first itself (a stalled machine can hold a backup past 400 ms): those calls took the full 400 ms.
        int slowDuringHedging = Servers[2].Calls - slowBefore;
        int slowWins = with.Count(ms => ms >= 390);
        Assert.InRange(slowDuringHedging, 1, 30);
        for (int i = 0; i < 100 && Servers[2].CancelledCalls + slowWins < slowDuringHedging; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(slowDuringHedging, Servers[2].CancelledCalls + slowWins);
    }

    [Fact]
    public async Task NotIdempotent_NeverHedged()
    {
        Servers[0].Delay = Servers[1].Delay = Servers[2].Delay = TimeSpan.FromMilliseconds(100);
        await using var channel = Create(hedging: true);

        await LatenciesAsync(channel, InstanceServer.Whoami, 5);

        Assert.Equal(5, ServedCalls);
        Assert.Null(channel.Pipeline.GetPolicy(InstanceServer.Whoami).Hedging);
        Assert.NotNull(channel.Pipeline.GetPolicy(InstanceServer.Read).Hedging);
    }

    [Fact]
    public async Task FailedAttempt_StartsTheBackupAtOnce()
    {
        Servers[0].FailWith = StatusCode.Unavailable;
        await using var channel = Create(hedging: true);

        for (int i = 0; i < 6; i++)
        {
            Assert.NotEqual(Servers[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), await channel.InvokeAsync(InstanceServer.Read, "", Call));
        }

        Assert.InRange(Servers[0].Calls, 1, 6);
    }
}
