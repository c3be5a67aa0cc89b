namespace Fitten.Cli.Bench;

/// <summary>How progress is shown while a run is going.</summary>
internal enum ProgressMode
{
    /// <summary>A Spectre.Console live panel when stderr is an interactive terminal, plain lines otherwise.</summary>
    Auto,

    /// <summary>One plain line per second: readable in CI logs, which do not understand cursor movement.</summary>
    Plain,

    /// <summary>Nothing.</summary>
    None,
}
