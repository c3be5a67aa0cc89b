using Xunit.Abstractions;
using Fitten.Bench.Http;
using Fitten.Bench.Load;
using Fitten.Bench.Running;
using Fitten.Testing;

namespace Fitten.Bench.Tests.Running;

/// <summary>
/// The reason the open model exists: a server that freezes for one second once. Measured in the closed model,
/// the freeze hits only the few requests in flight, so p99 stays low and the freeze shows only as lost
/// throughput. Measured in the open model, every request scheduled during the freeze waits, and its waiting
/// counts, so p99 and max show the freeze. Rates, counts and bounds are chosen with wide margins so a busy
/// 2-core machine cannot flip the outcome.
/// </summary>
public sealed class CoordinatedOmissionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task RunAsync_OpenModelServerStallsOnce_StallShowsInP99AndMax()
    {
        await using var server = await LoopbackServer.StartAsync();

        // At 200 req/s, request 100 arrives about 0.5 s in; the stall then delays everything scheduled in the next
        // second (about 200 requests, a quarter of the run), so p99 lands near the full second.
        server.StallOnceAfter(100, Stall);
        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = server.Url("/ping") }),
            Load = LoadProfile.Open(200),
            Connections = 8,
            Duration = TimeSpan.FromSeconds(4),
        });

        Describe(result);
        output.WriteLine($"server: {server.StalledRequests} requests waited for the stall");
        Assert.Equal(800, result.Requests);
        Assert.Equal(server.Requests, result.Requests);
        Assert.True(result.Latency.P99 >= TimeSpan.FromMilliseconds(500), $"open-model p99 {result.Latency.P99} should show the 1 s stall");
        Assert.True(result.Latency.Max >= TimeSpan.FromMilliseconds(800), $"open-model max {result.Latency.Max} should show the 1 s stall");
        Assert.True(result.LateStarts > 50, $"requests scheduled during the stall start late, got {result.LateStarts}");
    }

    [Fact]
    public async Task RunAsync_ClosedModelServerStallsOnce_StallShowsOnlyAsLostThroughput()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.StallOnceAfter(500, Stall);
        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = server.Url("/ping") }),
            Load = LoadProfile.Closed(2),
            Duration = TimeSpan.FromSeconds(4),
        });

        Describe(result);

        // Only the 2 requests in flight saw the stall: the max shows it, the percentiles do not.
        Assert.True(result.Requests > 3_000, $"a loopback run of 3 s should make thousands of requests, got {result.Requests}");
        Assert.True(result.Latency.Max >= TimeSpan.FromMilliseconds(800), $"closed-model max {result.Latency.Max}");
        Assert.True(result.Latency.P99 < TimeSpan.FromMilliseconds(250), $"closed-model p99 {result.Latency.P99} hides the stall");

        // ... and the stall shows as a second (or two half seconds) with far fewer requests than the best one.
        long best = 0, worst = long.MaxValue;
        for (var i = 0; i < result.Seconds.Count - 1; i++)
        {
            best = Math.Max(best, result.Seconds[i].Requests);
            worst = Math.Min(worst, result.Seconds[i].Requests);
        }

        Assert.True(worst < best * 0.75, $"lost throughput: worst second {worst}, best second {best}");
    }

    private void Describe(Measurement.BenchResult result)
    {
        output.WriteLine($"requests {result.Requests}, late starts {result.LateStarts}, p50 {result.Latency.P50}, p99 {result.Latency.P99}, max {result.Latency.Max}");
        foreach (var s in result.Seconds)
        {
            output.WriteLine($"  second {s.Second}: {s.Requests} requests, p99 {s.P99}, max {s.Max}");
        }
    }
}
