using System.Globalization;
using Fitten.Bench.Load;
using Fitten.Bench.Measurement;
using Fitten.Bench.Reporting;
using Fitten.Bench.Running;
using Spectre.Console;

namespace Fitten.Cli.Bench;

/// <summary>
/// Shows a run while it goes: elapsed time, current rate, p99 so far, errors. On an interactive terminal it is a
/// live Spectre.Console table redrawn in place; anywhere else (CI, a pipe, a test) it degrades to one plain line
/// per second, because cursor movement turns a log into noise.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(1);

    public static async Task<BenchResult> RunAsync(BenchRun run, TextWriter writer, ProgressMode mode, CancellationToken cancellationToken)
    {
        if (mode == ProgressMode.None)
        {
            return await run.Completion.ConfigureAwait(false);
        }

        if (mode == ProgressMode.Auto && IsInteractive(writer))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
            var state = new RateTracker();
            await console.Live(Render(run, state)).AutoClear(false).StartAsync(async ctx =>
            {
                while (!run.Completion.IsCompleted)
                {
                    await Task.WhenAny(run.Completion, Task.Delay(LiveRefresh, cancellationToken)).ConfigureAwait(false);
                    ctx.UpdateTarget(Render(run, state));
                }
            }).ConfigureAwait(false);
            return await run.Completion.ConfigureAwait(false);
        }

        var tracker = new RateTracker();
        while (!run.Completion.IsCompleted)
        {
            await Task.WhenAny(run.Completion, Task.Delay(PlainRefresh, cancellationToken)).ConfigureAwait(false);
            if (!run.Completion.IsCompleted)
            {
                await writer.WriteLineAsync(PlainLine(run.GetProgress(), tracker)).ConfigureAwait(false);
            }
        }

        return await run.Completion.ConfigureAwait(false);
    }

    private static bool IsInteractive(TextWriter writer)
    {
        // Only the real stderr of a terminal gets the live view: a StringWriter (tests) or a redirect gets lines.
        if (!ReferenceEquals(writer, Console.Error) || Console.IsErrorRedirected)
        {
            return false;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        return console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    }

    internal static string PlainLine(BenchProgress p, RateTracker tracker)
    {
        var rate = tracker.Update(p);
        var phase = p.Phase == BenchPhase.Warmup ? "warm-up " : string.Empty;
        var clock = p.Phase == BenchPhase.Warmup ? p.Elapsed : p.MeasuredElapsed;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{phase}{clock.TotalSeconds,5:0}s] {Format.Number(rate),9} req/s  requests {Format.Number(p.Requests)}  p99 {Format.Latency(p.P99SoFar)}  errors {Format.Number(p.Errors)}{(p.LateStarts > 0 ? "  late starts " + Format.Number(p.LateStarts) : string.Empty)}");
    }

    private static Table Render(BenchRun run, RateTracker tracker)
    {
        var p = run.GetProgress();
        var rate = tracker.Update(p);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]fitten bench[/] " + Markup.Escape(run.Scenario.Target.Description));
        table.AddColumn("phase").AddColumn("elapsed").AddColumn(new TableColumn("req/s").RightAligned())
            .AddColumn(new TableColumn("requests").RightAligned()).AddColumn(new TableColumn("p99 so far").RightAligned())
            .AddColumn(new TableColumn("errors").RightAligned()).AddColumn(new TableColumn("late starts").RightAligned());
        var planned = p.PlannedDuration is { } d ? " / " + DurationParser.Format(d) : string.Empty;
        var clock = p.Phase == BenchPhase.Warmup ? p.Elapsed : p.MeasuredElapsed;
        table.AddRow(
            p.Phase switch { BenchPhase.Warmup => "[yellow]warm-up[/]", BenchPhase.Completed => "[green]done[/]", BenchPhase.Draining => "[blue]draining[/]", _ => "[blue]measuring[/]" } + (run.Scenario.Load.IsStaged ? " stage " + (p.CurrentStage + 1).ToString(CultureInfo.InvariantCulture) : string.Empty),
            clock.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" + planned,
            Format.Number(rate),
            Format.Number(p.Requests),
            Format.Latency(p.P99SoFar),
            p.Errors > 0 ? "[red]" + Format.Number(p.Errors) + "[/]" : "0",
            Format.Number(p.LateStarts));
        return table;
    }
}
