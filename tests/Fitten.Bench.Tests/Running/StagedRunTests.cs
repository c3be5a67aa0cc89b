using Fitten.Bench.Http;
using Fitten.Bench.Load;
using Fitten.Bench.Running;
using Fitten.Testing;

namespace Fitten.Bench.Tests.Running;

public sealed class StagedRunTests
{
    [Fact]
    public async Task RunAsync_OpenRate_SendsExactlyTheScheduledRequests()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = server.Url("/ping") }),
            Load = LoadProfile.Open(250),
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromMilliseconds(200),
        });

        // The schedule, not the server, decides how many: 250/s for 2 s, warm-up apart.
        Assert.Equal(500, result.Requests);
        Assert.Equal(50, result.WarmupRequests);
        Assert.Equal(server.Requests, result.Requests + result.WarmupRequests);
    }

    [Fact]
    public async Task RunAsync_RateStages_EachStageRunsItsRate()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = server.Url("/ping") }),
            Load = LoadProfile.ParseStages("1s:100rps,1s:0rps,1s:300rps"),
        });

        // Buckets are by completion time, so a request late on a busy machine can spill into the next stage, and
        // one sent a millisecond or two early (timer slack) into the previous one: these bounds allow for both.
        Assert.Equal(400, result.Requests);
        Assert.Equal(3, result.Stages.Count);
        Assert.Equal("1s:100rps", result.Stages[0].Stage);
        Assert.InRange(result.Stages[0].Requests, 0, 100);
        Assert.InRange(result.Stages[1].Requests, 0, 110);
        Assert.True(result.Stages[2].Requests >= 290, $"the 300 rps stage completed {result.Stages[2].Requests}");
    }

    [Fact]
    public async Task RunAsync_ConcurrencyLadder_ReportsEveryStage()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = server.Url("/ping") }),
            Load = LoadProfile.ParseStages("1s:1c,1s:4c"),
        });

        Assert.Equal(4, result.Connections);
        Assert.Equal(2, result.Stages.Count);
        Assert.All(result.Stages, s => Assert.True(s.Requests > 0));
        Assert.Equal(server.Requests, result.Requests);
    }
}
