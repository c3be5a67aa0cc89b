using System.Text.Json;
using Fitten.Testing;

namespace Fitten.Cli.Tests.Bench;

public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1/x", "unknown URL scheme 'ftp'")]
    [InlineData("not-a-url", "is not a URL")]
    [InlineData("https://127.0.0.1:1/", "https targets are not supported")]
    [InlineData("rpc://127.0.0.1:5000/shop.orders", "names no method")]
    [InlineData("rpc://127.0.0.1/shop.orders/Get", "needs a host and a port")]
    public async Task Bench_BadTarget_ClearMessageAndExitCode1(string target, string message)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("bench", target, "-n", "1");

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-r", "-5", "--rate must be a positive number")]
    [InlineData("-r", "0", "--rate must be a positive number")]
    [InlineData("-c", "0", "--concurrency must be between 1 and 100000")]
    [InlineData("-d", "soon", "--duration must be a positive duration")]
    [InlineData("--stages", "10s:5x", "--stages")]
    [InlineData("--fail-if", "p99~5ms", "--fail-if")]
    [InlineData("--trace-sample", "2", "--trace-sample must be between 0 and 1")]
    [InlineData("--request", "{}", "--request and --request-file are for rpc:// targets")]
    public async Task Bench_BadOption_ClearMessageAndExitCode1(string option, string value, string message)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("bench", "http://127.0.0.1:1/ping", option, value);

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_StagesWithRate_RejectedBeforeRunning()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("bench", "http://127.0.0.1:1/ping", "--stages", "1s:10rps", "-r", "10");

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains("--stages and --rate cannot be combined", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_UnreachableHost_ClearMessageAndExitCode2()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("bench", "http://127.0.0.1:1/ping", "-n", "10");

        Assert.Equal(ExitCodes.TargetUnreachable, exit);
        Assert.Contains("cannot connect to 127.0.0.1:1", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Bench_Json_PrintsDocumentedFields()
    {
        await using var server = await LoopbackServer.StartAsync();

        var (exit, stdout, _) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-c", "4", "-n", "300", "-w", "0s", "--json");

        Assert.Equal(ExitCodes.Ok, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(300, root.GetProperty("requests").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.True(root.GetProperty("duration_s").GetDouble() > 0);
        Assert.True(root.GetProperty("rps").GetDouble() > 0);
        var latency = root.GetProperty("latency_us");
        foreach (var name in new[] { "p50", "p90", "p99", "p999", "max" })
        {
            Assert.True(latency.GetProperty(name).GetDouble() > 0, name);
        }

        Assert.Equal(300, server.Requests);
    }

    [Fact]
    public async Task Bench_StderrNotATerminal_PlainProgressLinesWithoutEscapes()
    {
        await using var server = await LoopbackServer.StartAsync();

        var (exit, _, stderr) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-c", "2", "-d", "2500ms", "-w", "0s", "--json");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Matches(@"\[ +[0-9]+s\] +[0-9,]+ req/s  requests [0-9,]+  p99 ", stderr);
        Assert.DoesNotContain("\u001b[", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_Help_ExplainsOptionsWithExamples()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("bench", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--concurrency", "--rate", "--stages", "--duration", "--requests", "--warmup", "--json", "--markdown", "--html", "--baseline", "--fail-if", "--trace-sample", "Examples:" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }
}
