using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Tests;

public class FittenGeneratorTests
{
    private const string Contract = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Fitten;
        using MemoryPack;

        namespace Shop;

        [FittenService("shop.orders")]
        public interface IOrderService
        {
            [Idempotent] ValueTask<Order?> GetAsync(long id, CancellationToken ct = default);
            [HttpPost("/orders")] Task<Order> CreateAsync(CreateOrder request, CancellationToken ct = default);
            ValueTask CancelAsync(long id, string reason);
            Task<List<Order>> ListAsync();
            [HttpGet("/orders/{id:long}"), FittenMethod(Name = "Find", TimeoutMilliseconds = 250)]
            ValueTask<Order?> LookUpAsync(long id, State? state, int limit = 10, string? view = null, CancellationToken ct = default);
        }

        public enum State { Open, Closed }

        [MemoryPackable] public partial record Order(long Id, string Item);
        [MemoryPackable] public partial record CreateOrder(string Item, int Quantity);
        """;

    [Fact]
    public void Generate_Contract_MatchesSnapshot()
    {
        var (driver, _, _) = GeneratorHarness.Run(GeneratorHarness.Compile(Contract));
        var generated = driver.GetRunResult().GeneratedTrees.Single().ToString();

        var expectedPath = Path.Combine(AppContext.BaseDirectory, "Snapshots", "IOrderService.Fitten.g.cs.txt");
        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath) : string.Empty;
        if (expected != generated)
        {
            // Written next to the test sources so a reviewer can diff and, if the change is intended, accept it.
            var received = Path.Combine(SourceDirectory(), "Snapshots", "IOrderService.Fitten.g.cs.received.txt");
            File.WriteAllText(received, generated);
        }

        Assert.Equal(expected, generated);
    }

    [Fact]
    public void Generate_Contract_CompilesWithoutDiagnostics()
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(Contract));

        Assert.Empty(diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        // MemoryPack's own generator does not run here, so [MemoryPackable] partial records lack their generated
        // half; that is the only error class allowed.
        Assert.All(errors, e => Assert.DoesNotContain("Fitten", e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(errors, e => Assert.DoesNotContain(".Fitten.g.cs", e.Location.SourceTree?.FilePath ?? string.Empty));
    }

    [Fact]
    public void Generate_UnrelatedEdit_ContractStepIsCached()
    {
        var compilation = GeneratorHarness.Compile(Contract);
        var (driver, _, _) = GeneratorHarness.Run(compilation);

        var edited = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int X; }"));
        var (rerun, _, _) = GeneratorHarness.Run(edited, driver);

        var steps = rerun.GetRunResult().Results.Single().TrackedSteps[FittenGenerator.ContractsStep];
        Assert.NotEmpty(steps);
        Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step output was {o.Reason}"));
    }

    [Fact]
    public void Generate_ContractEdited_RegeneratesIt()
    {
        var compilation = GeneratorHarness.Compile(Contract);
        var (driver, _, _) = GeneratorHarness.Run(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var changed = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            Contract.Replace("ValueTask CancelAsync(long id, string reason);", "ValueTask CancelAsync(long id);", StringComparison.Ordinal))));
        var (rerun, _, _) = GeneratorHarness.Run(changed, driver);

        var steps = rerun.GetRunResult().Results.Single().TrackedSteps[FittenGenerator.ContractsStep];
        Assert.Contains(steps.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Generate_ParametersNamedLikeGeneratedLocals_StillCompile()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            using Fitten;
            namespace T;
            [FittenService("t.names")]
            public interface INames
            {
                ValueTask<int> AllAsync(int payload, int offset, int value, int output, int request, int context, int binder, int implementation, int invoker, int @class, CancellationToken ct);
            }
            """;

        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
