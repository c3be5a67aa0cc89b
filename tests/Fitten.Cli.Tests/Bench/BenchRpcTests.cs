using System.Net;
using System.Text;
using System.Text.Json;
using Fitten.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.Cli.Tests.Bench;

/// <summary><c>fitten bench rpc://…</c> against a real Fitten server on loopback.</summary>
public sealed class BenchRpcTests : IAsyncLifetime
{
    private static readonly Method<byte[], byte[]> Echo = new("bench.test", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);
    private WebApplication? _app;
    private int _calls;
    private string? _lastRequest;
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _traceIds = [];

    private string Address => $"rpc://127.0.0.1:{new Uri(_app!.Urls.First()).Port}";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddUnaryMethod(Echo, (request, context) =>
        {
            Interlocked.Increment(ref _calls);
            _lastRequest = Encoding.UTF8.GetString(request);
            if (context.TraceParent is { Length: 55 } traceParent)
            {
                _traceIds.Add(traceParent.Substring(3, 32));
            }

            return ValueTask.FromResult(request);
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        _app = builder.Build();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Bench_RpcTarget_CountsAgreeWithServer_AndRequestIsSentAsGiven()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "bench", $"{Address}/bench.test/Echo", "-c", "4", "-n", "400", "-w", "0s", "--request", "{\"id\":42}", "--json");

        Assert.True(exit == ExitCodes.Ok, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(400, doc.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("errors").GetInt64());
        Assert.Equal(400, Volatile.Read(ref _calls));
        Assert.Equal("{\"id\":42}", _lastRequest);
    }

    [Fact]
    public async Task Bench_RpcTarget_RequestFromFile()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "from a file");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("bench", $"{Address}/bench.test/Echo", "-n", "5", "-w", "0s", "--request-file", file, "--json");

            Assert.True(exit == ExitCodes.Ok, stderr);
            Assert.Equal("from a file", _lastRequest);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Bench_RpcUnknownMethod_ErrorsCountedByRpcStatus_AndThresholdBreached()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(
            "bench", $"{Address}/bench.test/Missing", "-n", "50", "-w", "0s", "--json", "--fail-if", "errors>0%");

        Assert.Equal(ExitCodes.ThresholdBreached, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(50, doc.RootElement.GetProperty("errors").GetInt64());
        Assert.Contains("rpc UNIMPLEMENTED", stdout, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _calls));
    }

    [Fact]
    public async Task Bench_RpcTraceSample_ServerSeesTheTraceIdsTheReportNames()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "bench", $"{Address}/bench.test/Echo", "-n", "20", "-w", "0s", "--trace-sample", "1", "--json");

        Assert.True(exit == ExitCodes.Ok, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var reported = doc.RootElement.GetProperty("slowest_traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()).ToList();
        Assert.NotEmpty(reported);
        Assert.Equal(20, _traceIds.Count);
        Assert.All(reported, id => Assert.Contains(id, _traceIds));
    }

    [Fact]
    public async Task Bench_RpcUnreachable_ClearMessageAndExitCode2()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("bench", "rpc://127.0.0.1:1/bench.test/Echo", "-n", "10");

        Assert.Equal(ExitCodes.TargetUnreachable, exit);
        Assert.Contains("cannot connect to 127.0.0.1:1", stderr, StringComparison.Ordinal);
    }
}
