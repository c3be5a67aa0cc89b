using Fitten.Bench.Http;
using Fitten.Bench.Load;
using Fitten.Bench.Running;
using Fitten.Bench.Targets;
using Fitten.Testing;

namespace Fitten.Bench.Tests.Running;

public sealed class BenchRunnerTests
{
    private static HttpTarget Http(LoopbackServer server, string path) => new(new HttpTargetOptions { Url = server.Url(path) });

    private static Task<Measurement.BenchResult> RunClosedAsync(LoopbackServer server, string path, int concurrency, long requests) =>
        BenchRunner.RunAsync(new BenchScenario { Target = Http(server, path), Load = LoadProfile.Closed(concurrency), Requests = requests });

    [Fact]
    public async Task RunAsync_ClosedModelRequestCount_AgreesWithServerCount()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await RunClosedAsync(server, "/ping", 8, 2_000);

        Assert.Equal(2_000, result.Requests);
        Assert.Equal(0, result.Errors);
        Assert.Equal(server.Requests, result.Requests);
        Assert.True(result.Latency.P50 > TimeSpan.Zero);
        Assert.True(result.Latency.Max >= result.Latency.P99);
    }

    [Fact]
    public async Task RunAsync_DurationWithWarmup_ServerCountIsMeasuredPlusWarmup()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = Http(server, "/ping"),
            Load = LoadProfile.Closed(4),
            Duration = TimeSpan.FromSeconds(1),
            // Long enough that the first connection and JIT fit in it even on a busy 2-core machine (at 300 ms a
            // loaded CI run once saw no warm-up request at all).
            Warmup = TimeSpan.FromSeconds(1),
        });

        Assert.True(result.WarmupRequests > 0);
        Assert.True(result.Requests > 0);
        Assert.Equal(server.Requests, result.Requests + result.WarmupRequests);
        long perSecond = 0;
        foreach (var s in result.Seconds)
        {
            perSecond += s.Requests;
        }

        Assert.Equal(result.Requests, perSecond);
    }

    [Fact]
    public async Task RunAsync_ChunkedResponses_CountedAsSuccesses()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await RunClosedAsync(server, "/chunked", 4, 500);

        Assert.Equal(500, result.Requests);
        Assert.Equal(0, result.Errors);
        Assert.Equal(500, server.Requests);
    }

    [Theory]
    [InlineData("/bytes/1000000")]
    [InlineData("/chunked-bytes/1000000")]
    [InlineData("/bytes/0")]
    public async Task RunAsync_LargeOrEmptyBodies_ReadToTheEndOfEachResponse(string path)
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await RunClosedAsync(server, path, 2, 40);

        // A body left half-read would be parsed as the next response and show up as protocol errors.
        Assert.Equal(40, result.Requests);
        Assert.Equal(0, result.Errors);
        Assert.Equal(40, server.Requests);
    }

    [Fact]
    public async Task RunAsync_PostWithHeaderAndBody_ServerReceivesThem()
    {
        await using var server = await LoopbackServer.StartAsync();
        var target = new HttpTarget(new HttpTargetOptions
        {
            Url = server.Url("/echo"),
            Method = "POST",
            Headers = [new("X-Fitten-Test", "yes")],
            Body = "{\"id\":42}"u8.ToArray(),
        });

        var result = await BenchRunner.RunAsync(new BenchScenario { Target = target, Load = LoadProfile.Closed(1), Requests = 10 });

        Assert.Equal(0, result.Errors);
        Assert.Equal(("POST", "yes", 9L), server.LastEcho);
    }

    [Fact]
    public async Task RunAsync_ErrorStatus_CountedByKind()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await RunClosedAsync(server, "/status/503", 2, 200);

        Assert.Equal(200, result.Errors);
        Assert.Equal(200, result.ErrorsByKind["http 503"]);
        Assert.Equal(1.0, result.ErrorRatio);
    }

    [Fact]
    public async Task StartAsync_UnreachableHost_ThrowsTargetUnreachable()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var target = new HttpTarget(new HttpTargetOptions { Url = new Uri("http://127.0.0.1:1/ping") });

        var ex = await Assert.ThrowsAsync<TargetUnreachableException>(() => BenchRunner.StartAsync(new BenchScenario
        {
            Target = target,
            Load = LoadProfile.Closed(1),
            Requests = 1,
        }));

        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServerGoesAwayMidRun_CountsConnectErrorsAndStops()
    {
        var server = await LoopbackServer.StartAsync();
        var target = Http(server, "/ping");
        var run = await BenchRunner.StartAsync(new BenchScenario
        {
            Target = target,
            Load = LoadProfile.Closed(2),
            Duration = TimeSpan.FromSeconds(1.5),
        });
        await Task.Delay(500);
        await server.DisposeAsync();

        var result = await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Errors > 0);
        Assert.True(result.ErrorsByKind.ContainsKey(ErrorKinds.Connect) || result.ErrorsByKind.ContainsKey(ErrorKinds.Connection));
    }

    [Fact]
    public async Task RunAsync_TraceSampleRatio_SendsTraceparentAndReportsSlowest()
    {
        await using var server = await LoopbackServer.StartAsync();

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = Http(server, "/ping"),
            Load = LoadProfile.Closed(2),
            Requests = 1_000,
            TraceSampleRatio = 0.1,
        });

        // 10% of 1000 is about 100; the bounds are far apart so chance cannot fail the test.
        Assert.InRange(server.TraceParents.Count, 30, 300);
        Assert.All(server.TraceParents, tp => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", tp));
        Assert.NotEmpty(result.SlowestTraces);
        Assert.All(result.SlowestTraces, t => Assert.Contains(server.TraceParents, tp => tp.Contains(t.TraceId, StringComparison.Ordinal)));
        for (var i = 1; i < result.SlowestTraces.Count; i++)
        {
            Assert.True(result.SlowestTraces[i - 1].Latency >= result.SlowestTraces[i].Latency);
        }
    }

    [Fact]
    public async Task RunAsync_RequestTimeout_CountsTimeouts()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.StallOnceAfter(1, TimeSpan.FromSeconds(2));

        var result = await BenchRunner.RunAsync(new BenchScenario
        {
            Target = Http(server, "/ping"),
            Load = LoadProfile.Closed(1),
            Requests = 1,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        Assert.Equal(1, result.Errors);
        Assert.Equal(1, result.ErrorsByKind[ErrorKinds.Timeout]);
    }

    [Fact]
    public void Validate_StagedWithDuration_Throws()
    {
        var scenario = new BenchScenario
        {
            Target = new HttpTarget(new HttpTargetOptions { Url = new Uri("http://127.0.0.1:1/") }),
            Load = LoadProfile.ParseStages("1s:10rps"),
            Duration = TimeSpan.FromSeconds(1),
        };

        Assert.Throws<ArgumentException>(scenario.Validate);
    }
}
