using Fitten.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Parsing
{
    /// <summary>
    /// Which parameter types a route or query string can bind to: types implementing IParsable&lt;T&gt; (string, the
    /// numeric types, Guid, DateTime…), enums, and Nullable&lt;T&gt; of those. The generated binder calls the matching
    /// JsonArgs.Parse* helper, so the choice is made here, at compile time.
    /// </summary>
    internal static class SimpleTypes
    {
        public static ParseKind Classify(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                return Classify(nullable.TypeArguments[0]) switch
                {
                    ParseKind.Parsable => ParseKind.NullableParsable,
                    ParseKind.Enum => ParseKind.NullableEnum,
                    _ => ParseKind.None,
                };
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                return ParseKind.Enum;
            }

            foreach (var candidate in type.AllInterfaces)
            {
                if (candidate.OriginalDefinition.ToDisplayString() == "System.IParsable<TSelf>"
                    && SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0].WithNullableAnnotation(NullableAnnotation.None), type.WithNullableAnnotation(NullableAnnotation.None)))
                {
                    return ParseKind.Parsable;
                }
            }

            return ParseKind.None;
        }
    }
}
