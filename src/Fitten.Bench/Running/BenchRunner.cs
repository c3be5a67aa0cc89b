using Fitten.Bench.Measurement;

namespace Fitten.Bench.Running;

/// <summary>Runs scenarios. The entry point of the library.</summary>
public static class BenchRunner
{
    /// <summary>Validates the scenario, checks the target is reachable, then starts the run and returns at once.</summary>
    /// <param name="scenario">What to run.</param>
    /// <param name="cancellationToken">Stops the run early; the result then covers what was measured.</param>
    /// <exception cref="ArgumentException">The scenario is invalid.</exception>
    /// <exception cref="Targets.TargetUnreachableException">The target cannot be reached.</exception>
    public static async Task<BenchRun> StartAsync(BenchScenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        await scenario.Target.ProbeAsync(cancellationToken).ConfigureAwait(false);
        return BenchRun.Start(scenario, cancellationToken);
    }

    /// <summary>Runs the scenario to the end and returns what it measured.</summary>
    /// <param name="scenario">What to run.</param>
    /// <param name="cancellationToken">Stops the run early; the result then covers what was measured.</param>
    public static async Task<BenchResult> RunAsync(BenchScenario scenario, CancellationToken cancellationToken = default)
    {
        var run = await StartAsync(scenario, cancellationToken).ConfigureAwait(false);
        return await run.Completion.ConfigureAwait(false);
    }
}
