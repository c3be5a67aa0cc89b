using Fitten.Generator.Emitting;
using Fitten.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Fitten.Generator
{
    /// <summary>
    /// Generates a client, a server binding and a descriptor for every interface marked
    /// <c>[Fitten.FittenService]</c>. Incremental: an edit that does not touch a contract regenerates nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class FittenGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the parse step (tests check it is cached).</summary>
        public const string ContractsStep = "Contracts";

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var contracts = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "Fitten.FittenServiceAttribute",
                    static (node, _) => node is InterfaceDeclarationSyntax,
                    static (ctx, ct) => ContractParser.Parse(ctx, ct))
                .WithTrackingName(ContractsStep);

            context.RegisterSourceOutput(contracts, static (output, contract) =>
            {
                foreach (var diagnostic in contract.Diagnostics)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (contract.Diagnostics.Count == 0)
                {
                    string hint = (contract.Namespace is null ? string.Empty : contract.Namespace + ".") + contract.InterfaceName + ".Fitten.g.cs";
                    output.AddSource(hint, ContractEmitter.Emit(contract));
                }
            });
        }
    }
}
