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

        Assert.Equal(400, result.Requests);
        Assert.Equal(3, result.Stages.Count);
        Assert.Equal("1s:100rps", result.Stages[0].Stage);
        Assert.True(result.Stages[1].Requests < 20, $"the 0 rps stage should be nearly empty, got {result.Stages[1].Requests}");
        Assert.True(result.Stages[2].RequestsPerSecond > result.Stages[0].RequestsPerSecond * 1.5);
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
