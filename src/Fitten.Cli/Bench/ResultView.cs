using Fitten.Bench.Measurement;
using Fitten.Bench.Reporting;
using Fitten.Bench.Thresholds;
using Spectre.Console;

namespace Fitten.Cli.Bench;

/// <summary>The final tables for people: summary, latency, errors, stages, slowest traces, baseline, thresholds.</summary>
internal static class ResultView
{
    public static void Write(TextWriter writer, BenchResult result, IReadOnlyList<ThresholdResult> thresholds, BaselineComparison? baseline)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        var summary = new Table().Border(TableBorder.Rounded).Title("[bold]fitten bench[/] " + Markup.Escape(result.Target));
        summary.AddColumn("load").AddColumn(new TableColumn("duration").RightAligned()).AddColumn(new TableColumn("requests").RightAligned())
            .AddColumn(new TableColumn("req/s").RightAligned()).AddColumn(new TableColumn("errors").RightAligned())
            .AddColumn(new TableColumn("late starts").RightAligned());
        summary.AddRow(
            Markup.Escape(result.Load + ", " + Format.Count(result.Connections, "connection")),
            result.Duration.TotalSeconds.ToString("0.00s", System.Globalization.CultureInfo.InvariantCulture),
            Format.Number(result.Requests),
            Format.Number(result.RequestsPerSecond),
            result.Errors == 0 ? "0" : "[red]" + Format.Number(result.Errors) + " (" + Format.Percent(result.ErrorRatio) + ")[/]",
            Format.Number(result.LateStarts));
        console.Write(summary);

        var latency = new Table().Border(TableBorder.Rounded).Title("latency");
        foreach (var name in new[] { "p50", "p90", "p99", "p99.9", "max", "mean" })
        {
            latency.AddColumn(new TableColumn(name).RightAligned());
        }

        var l = result.Latency;
        latency.AddRow(Format.Latency(l.P50), Format.Latency(l.P90), Format.Latency(l.P99), Format.Latency(l.P999), Format.Latency(l.Max), Format.Latency(l.Mean));
        console.Write(latency);

        if (result.ErrorsByKind.Count > 0)
        {
            var errors = new Table().Border(TableBorder.Rounded).Title("errors by kind").AddColumn("kind").AddColumn(new TableColumn("count").RightAligned());
            foreach (var (kind, count) in result.ErrorsByKind)
            {
                errors.AddRow(Markup.Escape(kind), Format.Number(count));
            }

            console.Write(errors);
        }

        if (result.Stages.Count > 0)
        {
            var stages = new Table().Border(TableBorder.Rounded).Title("stages").AddColumn("stage").AddColumn(new TableColumn("req/s").RightAligned())
                .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p99").RightAligned())
                .AddColumn(new TableColumn("max").RightAligned()).AddColumn(new TableColumn("errors").RightAligned());
            foreach (var s in result.Stages)
            {
                stages.AddRow(s.Stage, Format.Number(s.RequestsPerSecond), Format.Latency(s.Latency.P50), Format.Latency(s.Latency.P99), Format.Latency(s.Latency.Max), Format.Number(s.Errors));
            }

            console.Write(stages);
        }

        if (result.SlowestTraces.Count > 0)
        {
            var traces = new Table().Border(TableBorder.Rounded).Title("slowest traced requests").AddColumn("trace id").AddColumn(new TableColumn("latency").RightAligned()).AddColumn(new TableColumn("second").RightAligned());
            foreach (var t in result.SlowestTraces.Take(5))
            {
                traces.AddRow(t.TraceId, Format.Latency(t.Latency), t.Second.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(traces);
        }

        if (baseline is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("compared with baseline").AddColumn("figure")
                .AddColumn(new TableColumn("baseline").RightAligned()).AddColumn(new TableColumn("now").RightAligned()).AddColumn(new TableColumn("change").RightAligned());
            foreach (var f in baseline.Figures)
            {
                var change = Format.Change(f.Change);
                table.AddRow(f.Name, BaselineComparison.FormatValue(f, f.Baseline), BaselineComparison.FormatValue(f, f.Current), f.IsWorse && f.Change != 0 ? "[red]" + change + "[/]" : "[green]" + change + "[/]");
            }

            console.Write(table);
        }

        foreach (var t in thresholds)
        {
            console.MarkupLine((t.Breached ? "[red]FAIL[/] " : "[green]ok[/]   ") + Markup.Escape(t.ToString()));
        }
    }
}
