using System.Text.Json;

namespace Fitten.Codecs;

/// <summary>
/// How one method's parameters read and write as JSON: an object with one property per parameter
/// (<c>{"id": 42, "reason": "late"}</c>), the body of the default HTTP route and of the JSON RPC codec. The
/// generator emits one per contract method; values go through the <see cref="JsonSerializerOptions"/> given, so
/// a source-generated JsonSerializerContext in them makes it reflection-free.
/// </summary>
/// <typeparam name="T">The method's request message (its parameters).</typeparam>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public abstract class JsonArguments<T>
{
    /// <summary>Writes the parameters as one JSON object.</summary>
    public abstract void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options);

    /// <summary>
    /// Reads the parameters from a reader positioned before the object (<see cref="JsonCodec.ReadArguments{T}(JsonArguments{T}, ReadOnlySpan{byte})"/> turns an empty payload into <c>{}</c>).
    /// Unknown properties are skipped. Throws <see cref="JsonException"/> when the JSON is malformed or a required
    /// parameter is missing.
    /// </summary>
    public abstract T Read(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>Reads the parameters as the method's own HTTP route binds them (route, query, body).</summary>
    public virtual T ReadHttp(IHttpArguments http, JsonSerializerOptions options)
        => throw new NotSupportedException("This method has no HTTP route of its own.");
}
