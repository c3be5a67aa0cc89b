using System.CommandLine;
using Fitten.Bench.Load;
using Fitten.Bench.Measurement;
using Fitten.Bench.Reporting;
using Fitten.Bench.Running;
using Fitten.Bench.Targets;
using Fitten.Bench.Thresholds;

namespace Fitten.Cli.Bench;

// The action: build the scenario, run it with a progress display, print the reports, check thresholds.
internal static partial class BenchCommand
{
    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        BenchScenario scenario;
        IReadOnlyList<Threshold> thresholds;
        BaselineFigures? baseline = null;
        try
        {
            scenario = BuildScenario(parse);
            thresholds = [.. (parse.GetValue(FailIf) ?? []).Select(Threshold.Parse)];
            if (parse.GetValue(Baseline) is { } baselineFile)
            {
                if (!baselineFile.Exists)
                {
                    throw new ArgumentException($"--baseline '{baselineFile.FullName}' does not exist");
                }

                baseline = JsonReport.ReadFigures(await File.ReadAllTextAsync(baselineFile.FullName, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await stderr.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        // The first Ctrl+C stops the load and still reports what was measured; a second one ends the process.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunScenarioAsync(parse, scenario, thresholds, baseline, interrupt.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> RunScenarioAsync(ParseResult parse, BenchScenario scenario, IReadOnlyList<Threshold> thresholds, BaselineFigures? baseline, CancellationToken cancellationToken)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        BenchRun run;
        try
        {
            run = await BenchRunner.StartAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetUnreachableException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.TargetUnreachable;
        }

        var machineOutput = parse.GetValue(Json) || parse.GetValue(Markdown);
        var progressMode = parse.GetValue(Quiet) ? ProgressMode.None : parse.GetValue(NoLive) ? ProgressMode.Plain : ProgressMode.Auto;
        var result = await ProgressDisplay.RunAsync(run, stderr, progressMode, cancellationToken).ConfigureAwait(false);

        var thresholdResults = thresholds.Select(t => t.Evaluate(result)).ToList();
        var comparison = baseline is null ? null : BaselineComparison.Compare(baseline, result);

        // The human table goes to stdout, unless stdout carries JSON or Markdown; then it goes to stderr.
        ResultView.Write(machineOutput ? stderr : stdout, result, thresholdResults, comparison);
        if (parse.GetValue(Json))
        {
            await stdout.WriteLineAsync(JsonReport.Write(result, thresholdResults, comparison)).ConfigureAwait(false);
        }
        else if (parse.GetValue(Markdown))
        {
            await stdout.WriteLineAsync(MarkdownReport.Write(result, thresholdResults, comparison)).ConfigureAwait(false);
        }

        if (parse.GetValue(Html) is { } html)
        {
            await File.WriteAllTextAsync(html.FullName, HtmlReport.Write(result, thresholdResults, comparison), CancellationToken.None).ConfigureAwait(false);
            await stderr.WriteLineAsync("HTML report written to " + html.FullName).ConfigureAwait(false);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("interrupted: the figures above cover the run until Ctrl+C").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        return thresholdResults.Any(t => t.Breached) ? ExitCodes.ThresholdBreached : ExitCodes.Ok;
    }

    private static BenchScenario BuildScenario(ParseResult parse)
    {
        var target = TargetParser.Create(
            parse.GetRequiredValue(Target),
            parse.GetValue(Method) ?? "GET",
            parse.GetValue(Headers) ?? [],
            parse.GetValue(Body),
            parse.GetValue(BodyFile),
            parse.GetValue(RpcRequest),
            parse.GetValue(RpcRequestFile));

        var concurrency = parse.GetValue(Concurrency);
        LoadProfile load;
        if (parse.GetValue(Stages) is { } stages)
        {
            load = LoadProfile.ParseStages(stages);
        }
        else if (parse.GetValue(Rate) is { } rate)
        {
            load = LoadProfile.Open(rate);
        }
        else
        {
            load = LoadProfile.Closed(concurrency ?? 1);
        }

        var scenario = new BenchScenario
        {
            Target = target,
            Load = load,
            Duration = parse.GetValue(Duration) is { } d ? DurationParser.Parse(d) : null,
            Requests = parse.GetValue(Requests),
            Warmup = DurationParser.Parse(parse.GetValue(Warmup) ?? "1s"),
            Connections = load.Model == LoadModel.Open ? concurrency : null,
            RequestTimeout = DurationParser.Parse(parse.GetValue(Timeout) ?? "10s"),
            TraceSampleRatio = parse.GetValue(TraceSample),
        };
        scenario.Validate();
        return scenario;
    }
}
