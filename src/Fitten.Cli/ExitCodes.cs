namespace Fitten.Cli;

/// <summary>
/// What the tool's exit code means. Each failure has its own code so a CI script can tell a broken command line
/// from a down server from a performance regression.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The run completed and no threshold was breached.</summary>
    public const int Ok = 0;

    /// <summary>Invalid arguments (System.CommandLine also uses 1 for its parse errors).</summary>
    public const int InvalidArguments = 1;

    /// <summary>The target could not be reached, so no load was sent.</summary>
    public const int TargetUnreachable = 2;

    /// <summary>The run completed but at least one <c>--fail-if</c> threshold was breached.</summary>
    public const int ThresholdBreached = 3;

    /// <summary>Interrupted with Ctrl+C: what was measured until then is still reported (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;
}
