using System.Collections.Generic;
using System.Linq;
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
        private const string MethodAttribute = "Fitten.FittenMethodAttribute";

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
            var routes = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
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
                        if (!seen.Add("wire:" + model.WireName))
                        {
                            diagnostics.Add(DiagnosticModel.Create(Descriptors.Overload, Locate(method), model.WireName));
                        }

                        if (model.HttpTemplate is { } template)
                        {
                            // Templates that differ only in parameter names ({id} vs {orderId}) still collide.
                            string key = model.HttpMethod + " " + System.Text.RegularExpressions.Regex.Replace(template, "{[^}]*}", "{}");
                            if (routes.TryGetValue(key, out string? other))
                            {
                                diagnostics.Add(DiagnosticModel.Create(Descriptors.DuplicateRoute, Locate(method),
                                    $"{model.HttpMethod} {template} of '{method.Name}' is also the route of '{other}'; each route must lead to one method"));
                            }
                            else
                            {
                                routes.Add(key, method.Name);
                            }
                        }

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
                // Nothing else about a generic method can be checked meaningfully (its T is no encodable type).
                diagnostics.Add(DiagnosticModel.Create(Descriptors.GenericMethod, location, method.Name));
                return null;
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

            var parameters = new List<(IParameterSymbol Symbol, ParameterModel Model)>();
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

                parameters.Add((parameter, ReadParameter(parameter)));
            }

            bool idempotent = false;
            int timeout = 0;
            foreach (var attribute in method.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name == IdempotentAttribute)
                {
                    idempotent = true;
                }
                else if (name == MethodAttribute)
                {
                    foreach (var argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "Name" && argument.Value.Value is string customName)
                        {
                            wireName = customName;
                            if (!IsValidName(wireName, allowDots: false))
                            {
                                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadMethodName, location, wireName));
                                ok = false;
                            }
                        }
                        else if (argument.Key == "TimeoutMilliseconds" && argument.Value.Value is int milliseconds)
                        {
                            timeout = milliseconds;
                            if (milliseconds < 0)
                            {
                                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadTimeout, location, method.Name));
                                ok = false;
                            }
                        }
                    }
                }
            }

            string? httpMethod = null, httpTemplate = null;
            var routes = HttpRouteParser.ReadRoutes(method);
            if (routes.Count > 1)
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.DuplicateRoute, location,
                    $"'{method.Name}' has {routes.Count} HTTP route attributes; a method has at most one route of its own (besides the default POST route)"));
                ok = false;
            }
            else if (routes.Count == 1 && ok)
            {
                (httpMethod, httpTemplate, var routeLocation) = routes[0];
                ok = HttpRouteParser.Bind(method.Name, httpMethod, httpTemplate, routeLocation ?? location, parameters, diagnostics);
            }

            if (!ok)
            {
                return null;
            }

            var models = ImmutableArray.CreateBuilder<ParameterModel>(parameters.Count);
            foreach (var (_, model) in parameters)
            {
                models.Add(model);
            }

            return new MethodModel(
                method.Name,
                wireName,
                returnKind,
                resultType?.ToDisplayString(TypeFormat) ?? "global::Fitten.Codecs.Unit",
                new EquatableArray<ParameterModel>(models.MoveToImmutable()),
                tokenName,
                idempotent,
                resultType is null ? "global::Fitten.Codecs.Unit" : TypeOf(resultType),
                httpMethod,
                httpTemplate,
                timeout);
        }

        private static ParameterModel ReadParameter(IParameterSymbol parameter)
        {
            var type = parameter.Type;
            bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated
                || type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };
            string? defaultValue = parameter.HasExplicitDefaultValue ? DefaultLiteral(parameter) : null;
            return new ParameterModel(
                parameter.Name,
                type.ToDisplayString(TypeFormat),
                TypeOf(type),
                IsRequired: !nullable && !parameter.HasExplicitDefaultValue,
                defaultValue,
                SimpleTypes.Classify(type),
                HttpSource: "Body");
        }

        /// <summary>The type as typeof and generic arguments take it: reference types lose their '?' annotation.</summary>
        private static string TypeOf(ITypeSymbol type)
            => (type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated) : type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        private static string DefaultLiteral(IParameterSymbol parameter)
        {
            object? value = parameter.ExplicitDefaultValue;
            string type = parameter.Type.ToDisplayString(TypeFormat);
            if (value is null)
            {
                return "default(" + type + ")";
            }

            string literal = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
            literal = value switch
            {
                float => literal + "f",
                decimal => literal + "m",
                double when literal.IndexOf('.') < 0 && literal.IndexOf('E') < 0 => literal + "d",
                _ => literal,
            };
            return "(" + type + ")(" + literal + ")";
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
