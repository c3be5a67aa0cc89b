using System.CommandLine;

namespace Fitten.Cli.Tests.Bench;

/// <summary>Runs the real <c>fitten</c> command tree in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        var exit = await FittenCommand.Create().Parse(args).InvokeAsync(config).WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
