using System.Diagnostics;
using System.Text.Json;
using Fitten.Testing;

namespace Fitten.Cli.Tests.Bench;

/// <summary>The real <c>fitten</c> executable in its own process: signals and the process-level set-up in Program.cs.</summary>
public sealed class BenchProcessTests
{
    [Fact]
    public async Task Bench_CtrlC_StopsAndStillReportsWhatWasMeasured()
    {
        await using var server = await LoopbackServer.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Fitten.Cli.dll"), "bench", server.Url("/ping").ToString(), "-c", "2", "-d", "60s", "-w", "0s", "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // Wait until load is flowing (bounded), then interrupt as Ctrl+C would.
            for (var i = 0; i < 200 && server.Requests < 100; i++)
            {
                await Task.Delay(100, timeout.Token);
            }

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(ExitCodes.Interrupted, process.ExitCode);
        Assert.Contains("interrupted", await stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await stdout);
        var requests = json.RootElement.GetProperty("requests").GetInt64();
        Assert.True(requests >= 100, $"the report should cover the requests made before Ctrl+C, got {requests}");
        Assert.True(json.RootElement.GetProperty("duration_s").GetDouble() < 55);
    }
}
