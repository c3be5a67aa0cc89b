using System.Text.Json;

namespace Fitten.Codecs;

/// <summary>The JSON shape of a method without parameters: <c>{}</c>, or nothing at all.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class NoJsonArguments : JsonArguments<Unit>
{
    /// <summary>The shared instance.</summary>
    public static NoJsonArguments Instance { get; } = new();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Unit value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <inheritdoc/>
    public override Unit Read(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (JsonArgs.BeginObject(ref reader))
        {
            while (JsonArgs.NextProperty(ref reader))
            {
                reader.Skip();
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public override Unit ReadHttp(IHttpArguments http, JsonSerializerOptions options) => default;
}
