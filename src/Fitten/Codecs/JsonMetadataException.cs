namespace Fitten.Codecs;

/// <summary>
/// The JSON options have no metadata for a type a method uses: a server or client configuration error, not bad
/// input. Servers answer INTERNAL and log it; under Native AOT the fix is a <c>[JsonSerializable]</c> entry.
/// </summary>
public sealed class JsonMetadataException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="type"/>.</summary>
    public JsonMetadataException(Type type, Exception? inner)
        : base($"The JSON options have no metadata for {type}. Add [JsonSerializable(typeof({type.Name}))] to your JsonSerializerContext and register it (builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, MyJsonContext.Default)), or pass it to JsonCodec).", inner)
    {
        Type = type;
    }

    /// <summary>The type without JSON metadata.</summary>
    public Type Type { get; }
}
