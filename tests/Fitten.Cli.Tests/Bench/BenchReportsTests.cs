using System.Diagnostics;
using System.Text.RegularExpressions;
using Fitten.Testing;

namespace Fitten.Cli.Tests.Bench;

public sealed partial class BenchReportsTests
{
    [Fact]
    public async Task Bench_ThresholdNotBreached_ExitCode0()
    {
        await using var server = await LoopbackServer.StartAsync();

        var (exit, stdout, _) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-n", "200", "-w", "0s", "--fail-if", "p99>1h", "--fail-if", "errors>0");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("ok   p99>1h", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_LatencyThresholdBreached_ExitCode3()
    {
        await using var server = await LoopbackServer.StartAsync();

        var (exit, stdout, _) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-n", "200", "-w", "0s", "--fail-if", "p50>=0us");

        Assert.Equal(ExitCodes.ThresholdBreached, exit);
        Assert.Contains("FAIL p50>=0us", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ErrorRateThresholdBreached_ExitCode3()
    {
        await using var server = await LoopbackServer.StartAsync();

        var (exit, stdout, _) = await CliRunner.RunAsync("bench", server.Url("/status/500").ToString(), "-n", "100", "-w", "0s", "--fail-if", "errors>0.1%");

        Assert.Equal(ExitCodes.ThresholdBreached, exit);
        Assert.Contains("http 500", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_Baseline_ShowsChangePerFigure()
    {
        await using var server = await LoopbackServer.StartAsync();
        var baseline = Path.Combine(Path.GetTempPath(), $"fitten-baseline-{Guid.NewGuid():N}.json");
        try
        {
            var first = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-n", "300", "-w", "0s", "--json");
            await File.WriteAllTextAsync(baseline, first.Stdout);

            var (exit, stdout, _) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-n", "300", "-w", "0s", "--markdown", "--baseline", baseline);

            Assert.Equal(ExitCodes.Ok, exit);
            Assert.StartsWith("### fitten bench", stdout, StringComparison.Ordinal);
            Assert.Contains("| figure | baseline | now | change |", stdout, StringComparison.Ordinal);
            Assert.Matches(@"\| p99 \| [0-9.]+(µs|ms) \| [0-9.]+(µs|ms) \| [+-][0-9.]+%", stdout);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public async Task Bench_BaselineNotAReport_ExitCode1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fitten-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "[1,2,3]");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("bench", "http://127.0.0.1:1/ping", "-n", "1", "--baseline", file);

            Assert.Equal(ExitCodes.InvalidArguments, exit);
            Assert.Contains("not a fitten bench JSON report", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Opens the report in headless Chromium (Debian's, installed by test.sh) and reads the DOM after its scripts ran:
    /// every chart must have drawn a series path with points.
    /// </summary>
    [Fact]
    public async Task Bench_Html_ChartsHaveContentInHeadlessChromium()
    {
        await using var server = await LoopbackServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("fitten-html-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.html");
            var (exit, _, stderr) = await CliRunner.RunAsync("bench", server.Url("/ping").ToString(), "-r", "200", "-d", "3s", "-w", "500ms", "--html", report);
            Assert.Equal(ExitCodes.Ok, exit);
            Assert.Contains("HTML report written", stderr, StringComparison.Ordinal);

            var dom = await DumpDomAsync(report, Path.Combine(dir.FullName, "profile"));

            foreach (var chart in new[] { "throughput", "latency-over-time", "percentiles" })
            {
                var svg = Regex.Match(dom, $"<svg id=\"{chart}\".*?</svg>", RegexOptions.Singleline);
                Assert.True(svg.Success, $"chart {chart} missing from the rendered DOM");
                var paths = SeriesPath().Matches(svg.Value);
                Assert.True(paths.Count > 0, $"chart {chart} drew no series");
                foreach (Match path in paths)
                {
                    // A second in which nothing completed (a stall on a busy machine) is left out of the latency
                    // chart, so a series may be short; it may not be empty.
                    Assert.True(int.Parse(path.Groups["points"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, $"chart {chart}: an empty series");
                }

                Assert.True(Regex.Matches(svg.Value, "<circle").Count >= 2, $"chart {chart} has fewer than 2 points drawn");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<path d=\"(?<d>M[^\"]+)\"[^>]*class=\"series\"[^>]*data-points=\"(?<points>\\d+)\"")]
    private static partial Regex SeriesPath();

    private static async Task<string> DumpDomAsync(string file, string profile)
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), "chromium is not installed: run test.sh, which installs Debian's chromium");
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", new Uri(file).AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return await stdout;
    }
}
