using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fitten.Codecs;
using Microsoft.AspNetCore.Http;

namespace Fitten.AspNetCore.Http;

/// <summary>Route values, query values and the buffered JSON body of one request, for generated route binders.</summary>
internal sealed class HttpArguments(HttpContext http, ReadOnlySequence<byte> body, JsonReaderOptions readerOptions) : IHttpArguments
{
    public string? GetRouteValue(string name)
        => http.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;

    public string? GetQueryValue(string name)
        => http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public T? ReadBody<T>(JsonTypeInfo<T> typeInfo, bool required)
    {
        if (body.IsEmpty)
        {
            return required ? throw InputErrors.Mark(new JsonException("A JSON request body is required.")) : default;
        }

        var reader = new Utf8JsonReader(body, readerOptions);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(ref reader, typeInfo);
        }
        catch (JsonException ex)
        {
            // The serializer's path is relative to the value it read, which is the whole body.
            InputErrors.SetValueStart(ex, 0);
            throw;
        }

        JsonCodec.EnsureEnd(ref reader);
        return value;
    }
}
