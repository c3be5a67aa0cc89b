using System.CommandLine;
using Fitten.Cli.Bench;

namespace Fitten.Cli;

/// <summary>The root of the <c>fitten</c> tool. Each verb lives in its own folder (<c>Bench/</c>).</summary>
internal static class FittenCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("fitten: tools for Fitten services. Run 'fitten bench --help' to load-test an endpoint.");
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
