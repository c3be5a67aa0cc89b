namespace Fitten.Codecs;

/// <summary>
/// The JSON options have no metadata for a type a method uses: a server or client configuration error, not bad
/// input. Servers answer INTERNAL and log it; under Native AOT the fix is a <c>[JsonSerializable]</c> entry.
/// </summary>
public sealed class JsonMetadataException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="type"/>.</summary>
    public JsonMetadataException(Type type, Exception? inner)
        : base($"The JSON options have no metadata for {CSharpName(type)}. Add [JsonSerializable(typeof({CSharpName(type)}))] to your JsonSerializerContext and register it (builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, MyJsonContext.Default)), or pass it to JsonCodec).", inner)
    {
        Type = type;
    }

    /// <summary>The type without JSON metadata.</summary>
    public Type Type { get; }

    /// <summary>The type as C# spells it (<c>IReadOnlyList&lt;Order&gt;</c>, not <c>IReadOnlyList`1</c>), for the message.</summary>
    internal static string CSharpName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return CSharpName(underlying) + "?";
        }

        if (type.IsArray)
        {
            return CSharpName(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick >= 0 ? name[..tick] : name) + "<" + string.Join(", ", type.GetGenericArguments().Select(CSharpName)) + ">";
    }
}
