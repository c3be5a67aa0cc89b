using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fitten.Codecs;

/// <summary>
/// Helpers the generated <see cref="JsonArguments{T}"/> call: walking the parameter object, reading and writing
/// one parameter through the options' type metadata, and parsing route and query values. Not meant for
/// hand-written code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JsonArgs
{
    /// <summary>The options' metadata for <typeparamref name="T"/>, or a <see cref="JsonMetadataException"/> saying how to add it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options)
    {
        try
        {
            return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        }
        catch (NotSupportedException ex)
        {
            throw new JsonMetadataException(typeof(T), ex);
        }
        catch (InvalidOperationException ex) when (ex is not JsonMetadataException)
        {
            // Thrown when the options have no resolver at all (reflection disabled and no context registered).
            throw new JsonMetadataException(typeof(T), ex);
        }
    }

    /// <summary>Moves to the start of the parameter object; false when the input holds no token at all.</summary>
    public static bool BeginObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw InputErrors.Mark(new JsonException($"Expected a JSON object holding the method's parameters, found {reader.TokenType}."));
        }

        return true;
    }

    /// <summary>Moves to the next property name; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw InputErrors.Mark(new JsonException("The JSON object ends early."));
        }

        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>
    /// The index in <paramref name="names"/> of the property the reader is on, or -1. Exact matches first (no
    /// allocation); names differing only in case match when the options say so (the web defaults do).
    /// </summary>
    public static int Match(ref Utf8JsonReader reader, JsonEncodedText[] names, JsonSerializerOptions options)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i].EncodedUtf8Bytes))
            {
                return i;
            }
        }

        if (options.PropertyNameCaseInsensitive)
        {
            string name = reader.GetString()!;
            for (int i = 0; i < names.Length; i++)
            {
                if (string.Equals(name, names[i].Value, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Reads the value of the property the reader is on.</summary>
    public static T ReadValue<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (!reader.Read())
        {
            throw InputErrors.Mark(new JsonException("The JSON object ends early."));
        }

        var typeInfo = TypeInfo<T>(options);
        long start = reader.TokenStartIndex;
        try
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo)!;
        }
        catch (JsonException ex)
        {
            // Its path and position are relative to this value; a server names the value by where it starts.
            InputErrors.SetValueStart(ex, start);
            throw;
        }
    }

    /// <summary>Writes one property.</summary>
    public static void WriteValue<T>(Utf8JsonWriter writer, JsonEncodedText name, T value, JsonSerializerOptions options)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, TypeInfo<T>(options));
    }

    /// <summary>Throws the error for a required parameter that is absent.</summary>
    public static JsonException Missing(string name) => InputErrors.Mark(new JsonException($"The parameter '{name}' is required."));

    /// <summary>Parses a route or query value of a parsable type; absent is default unless <paramref name="required"/>.</summary>
    public static T? Parse<T>(string? raw, string name, bool required)
        where T : IParsable<T>
    {
        if (raw is null)
        {
            return required ? throw Missing(name) : default;
        }

        return T.TryParse(raw, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(raw, name, typeof(T));
    }

    /// <summary>Parses an optional route or query value of a nullable parsable value type.</summary>
    public static T? ParseNullable<T>(string? raw, string name)
        where T : struct, IParsable<T>
        => raw is null ? null : T.TryParse(raw, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(raw, name, typeof(T));

    /// <summary>Parses a route or query value of an enum type, by name (any case) or number.</summary>
    public static T ParseEnum<T>(string? raw, string name, bool required)
        where T : struct, Enum
    {
        if (raw is null)
        {
            return required ? throw Missing(name) : default;
        }

        return Enum.TryParse<T>(raw, ignoreCase: true, out var value) ? value : throw Invalid(raw, name, typeof(T));
    }

    /// <summary>Parses an optional route or query value of a nullable enum type.</summary>
    public static T? ParseNullableEnum<T>(string? raw, string name)
        where T : struct, Enum
        => raw is null ? null : Enum.TryParse<T>(raw, ignoreCase: true, out var value) ? value : throw Invalid(raw, name, typeof(T));

    private static FormatException Invalid(string raw, string name, Type type)
        => InputErrors.Mark(new FormatException($"The parameter '{name}' must be a {type.Name}; '{(raw.Length > 64 ? raw[..64] + "…" : raw)}' is not one."));
}
