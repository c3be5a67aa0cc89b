using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Fitten.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Parsing
{
    /// <summary>Reads a [FittenService] interface into a <see cref="ContractModel"/>, collecting every problem as a diagnostic.</summary>
    internal static class ContractParser
    {
        private const string IdempotentAttribute = "Fitten.IdempotentAttribute";

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static ContractModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = ImmutableArray.CreateBuilder<DiagnosticModel>();
            var location = symbol.Locations.Length > 0 ? symbol.Locations[0] : null;

            string serviceName = context.Attributes[0].ConstructorArguments.Length == 1
                ? context.Attributes[0].ConstructorArguments[0].Value as string ?? string.Empty
                : string.Empty;
            if (!IsValidName(serviceName, allowDots: true))
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadServiceName, location, serviceName));
            }

            if (symbol.IsGenericType || symbol.ContainingType is not null)
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.UnsupportedContractShape, location, symbol.Name));
            }

            var methods = ImmutableArray.CreateBuilder<MethodModel>();
            var seen = new HashSet<string>();
            foreach (var member in symbol.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    if (!method.IsAbstract)
                    {
                        continue; // default interface implementations are helpers, not wire methods
                    }

                    if (!seen.Add(method.Name))
                    {
                        diagnostics.Add(DiagnosticModel.Create(Descriptors.Overload, Locate(method), method.Name));
                        continue;
                    }

                    if (ParseMethod(method, context.SemanticModel.Compilation, diagnostics) is { } model)
                    {
                        methods.Add(model);
                    }
                }
                else if (member is IPropertySymbol or IEventSymbol)
                {
                    diagnostics.Add(DiagnosticModel.Create(Descriptors.NonMethodMember, Locate(member), member.Name));
                }
            }

            var ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
            return new ContractModel(
                ns,
                symbol.Name,
                symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                serviceName,
                new EquatableArray<MethodModel>(methods.ToImmutable()),
                new EquatableArray<DiagnosticModel>(diagnostics.ToImmutable()));
        }

        private static MethodModel? ParseMethod(IMethodSymbol method, Compilation compilation, ImmutableArray<DiagnosticModel>.Builder diagnostics)
        {
            var location = Locate(method);
            bool ok = true;
            if (method.IsGenericMethod)
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.GenericMethod, location, method.Name));
                ok = false;
            }

            string wireName = method.Name.EndsWith("Async", System.StringComparison.Ordinal) && method.Name.Length > 5
                ? method.Name.Substring(0, method.Name.Length - 5)
                : method.Name;
            if (!IsValidName(wireName, allowDots: false))
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadMethodName, location, wireName));
                ok = false;
            }

            if (!TryReadReturn(method.ReturnType, out var returnKind, out var resultType))
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadReturnType, location, method.Name));
                ok = false;
            }
            else if (resultType is not null && CodecCheck.Explain(resultType) is { } why)
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.NotSerializable, location, $"The result of '{method.Name}' ({why})"));
                ok = false;
            }

            var parameters = ImmutableArray.CreateBuilder<ParameterModel>();
            string? tokenName = null;
            var parameterList = method.Parameters;
            for (int i = 0; i < parameterList.Length; i++)
            {
                var parameter = parameterList[i];
                var parameterLocation = parameter.Locations.Length > 0 ? parameter.Locations[0] : location;
                if (parameter.RefKind != RefKind.None)
                {
                    diagnostics.Add(DiagnosticModel.Create(Descriptors.ByRefParameter, parameterLocation, parameter.Name));
                    ok = false;
                    continue;
                }

                if (IsCancellationToken(parameter.Type))
                {
                    if (i != parameterList.Length - 1)
                    {
                        diagnostics.Add(DiagnosticModel.Create(Descriptors.CancellationTokenPosition, parameterLocation, method.Name));
                        ok = false;
                    }

                    tokenName = parameter.Name;
                    continue;
                }

                if (CodecCheck.Explain(parameter.Type) is { } why)
                {
                    diagnostics.Add(DiagnosticModel.Create(Descriptors.NotSerializable, parameterLocation, $"Parameter '{parameter.Name}' ({why})"));
                    ok = false;
                    continue;
                }

                parameters.Add(new ParameterModel(parameter.Name, parameter.Type.ToDisplayString(TypeFormat)));
            }

            if (!ok)
            {
                return null;
            }

            bool idempotent = false;
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == IdempotentAttribute)
                {
                    idempotent = true;
                }
            }

            return new MethodModel(
                method.Name,
                wireName,
                returnKind,
                resultType?.ToDisplayString(TypeFormat) ?? "global::Fitten.Codecs.Unit",
                new EquatableArray<ParameterModel>(parameters.ToImmutable()),
                tokenName,
                idempotent);
        }

        private static bool TryReadReturn(ITypeSymbol type, out ReturnKind kind, out ITypeSymbol? result)
        {
            kind = default;
            result = null;
            if (type is not INamedTypeSymbol named || named.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
            {
                return false;
            }

            switch (named.MetadataName)
            {
                case "ValueTask`1":
                    (kind, result) = (ReturnKind.ValueTaskOfT, named.TypeArguments[0]);
                    return true;
                case "Task`1":
                    (kind, result) = (ReturnKind.TaskOfT, named.TypeArguments[0]);
                    return true;
                case "ValueTask":
                    kind = ReturnKind.ValueTask;
                    return true;
                case "Task":
                    kind = ReturnKind.Task;
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsCancellationToken(ITypeSymbol type)
            => type.Name == "CancellationToken" && type.ContainingNamespace?.ToDisplayString() == "System.Threading";

        private static Location? Locate(ISymbol symbol) => symbol.Locations.Length > 0 ? symbol.Locations[0] : null;

        internal static bool IsValidName(string name, bool allowDots)
        {
            if (name.Length == 0 || name.Length > 200)
            {
                return false;
            }

            foreach (char c in name)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || (allowDots && (c == '.' || c == '-'));
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
