using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Parsing
{
    /// <summary>
    /// Whether MemoryPack, the default codec, can encode a type: primitives, strings, enums, well-known BCL
    /// value types and collections of encodable types, and types marked [MemoryPackable]. A type it cannot
    /// encode would fail at run time with a formatter error; here it fails at compile time instead.
    /// </summary>
    internal static class CodecCheck
    {
        private const string MemoryPackable = "MemoryPack.MemoryPackableAttribute";

        /// <summary>Null when the type is encodable, else a short reason naming the offending type.</summary>
        public static string? Explain(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return Explain(array.ElementType);
                case ITypeParameterSymbol:
                    return $"type parameter {type.Name}";
                case INamedTypeSymbol named:
                    if (named.TypeKind == TypeKind.Enum || named.SpecialType != SpecialType.None)
                    {
                        return null;
                    }

                    if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                    {
                        return Explain(named.TypeArguments[0]);
                    }

                    if (HasMemoryPackable(named))
                    {
                        return null;
                    }

                    string? ns = named.ContainingNamespace?.ToDisplayString();
                    if (ns is not null && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal)))
                    {
                        // BCL types (Guid, DateTime, TimeSpan, List<T>, Dictionary<K,V>, …): MemoryPack ships formatters;
                        // their type arguments must be encodable too.
                        foreach (var argument in named.TypeArguments)
                        {
                            if (Explain(argument) is { } why)
                            {
                                return why;
                            }
                        }

                        return null;
                    }

                    return $"{named.ToDisplayString()} is not [MemoryPackable]";
                default:
                    return $"{type.ToDisplayString()} is not supported";
            }
        }

        private static bool HasMemoryPackable(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == MemoryPackable)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
