using System.Buffers;
using System.Text;
using System.Text.Json;
using Fitten.Codecs;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Pipeline;

/// <summary>
/// What a peer is told about a request that did not decode, for Fitten RPC (status message) and HTTP/JSON (problem
/// <c>detail</c>) alike: the method and what was wrong in the input — Fitten's own words about it, the JSON path of
/// a value of the wrong type, where the JSON stops being JSON or that it ends early — but not the serializer's
/// exception text, which names the server's CLR types. In Development (as ASP.NET Core does) the exception's type
/// and message are added. The whole exception goes to the server's log either way.
/// </summary>
internal static partial class ServerExceptions
{
    /// <summary>
    /// Logs the failure and returns the status message for the peer. <paramref name="payload"/> is the request message
    /// (or HTTP body) that failed, still readable; <paramref name="json"/> the JSON codec's reader options, so JSON input
    /// is read again the way it was read the first time.
    /// </summary>
    public static string DecodeFailed(Exception exception, string method, ReadOnlySequence<byte> payload, in JsonReaderOptions json, bool development, ILogger logger, string? peer)
    {
        string what = InputErrors.IsMarked(exception) ? exception.Message.TrimEnd('.')
            : exception is JsonException jsonException ? DescribeJson(jsonException, payload, json)
            : "the message is not a valid encoding of the method's parameters";
        RequestDecodeFailed(logger, exception, method, peer, what);
        return development
            ? $"Failed to decode the request of {method}: {what} ({exception.GetType().FullName}: {exception.Message})"
            : $"Failed to decode the request of {method}: {what}.";
    }

    /// <summary>
    /// Reads the JSON again (a failure path, but one a peer can trigger at will, so without an allocation per token):
    /// a syntax error or an early end is said as such with its position; otherwise the serializer refused a value,
    /// named by its JSON path: where the codec says the value starts, plus the serializer's path inside it.
    /// </summary>
    private static string DescribeJson(JsonException exception, ReadOnlySequence<byte> payload, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(payload, isFinalBlock: false, new JsonReaderState(options));
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException syntax)
        {
            return $"the body is not valid JSON at line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}";
        }

        // Unfinished: inside an object or array, or a first token that never completed.
        if (reader.CurrentDepth > 0 || HasContentAfter(payload, reader.BytesConsumed))
        {
            return "the JSON ends early";
        }

        string inside = exception.Path is ['$', .. var rest] ? rest : string.Empty;
        if (InputErrors.ValueStart(exception) is not { } valueStart)
        {
            return exception.Path is null ? "a value does not fit the type of its parameter" : $"the value at {exception.Path} does not fit the type of its parameter";
        }

        var path = new JsonPath();
        reader = new Utf8JsonReader(payload, isFinalBlock: false, new JsonReaderState(options));
        while (reader.Read() && reader.TokenStartIndex <= valueStart)
        {
            path.Advance(ref reader);
        }

        return $"the value at {path.Describe(payload)}{inside} does not fit the type of its parameter";
    }

    private static bool HasContentAfter(ReadOnlySequence<byte> payload, long consumed)
    {
        foreach (var segment in payload.Slice(consumed))
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(20, LogLevel.Debug, "Request of {Method} (peer {Peer}) did not decode; the caller gets INVALID_ARGUMENT: {Reason}.", EventName = "RequestDecodeFailed")]
    private static partial void RequestDecodeFailed(ILogger logger, Exception exception, string method, string? peer, string reason);

    /// <summary>
    /// Where a reader is, as a JSONPath (<c>$.lines[2].sku</c>): the containers it is in, each with the property or
    /// index it is at. Names are kept as positions in the payload and read out once, when the path is described.
    /// </summary>
    private sealed class JsonPath
    {
        private const int MaxNameLength = 64;
        private readonly List<(long NameStart, int NameLength, int Index, bool IsArray)> _frames = [];
        private JsonTokenType _last;

        /// <summary>Takes the reader's current token.</summary>
        public void Advance(ref Utf8JsonReader reader)
        {
            var token = reader.TokenType;
            switch (token)
            {
                case JsonTokenType.PropertyName:
                    int length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    _frames[^1] = (reader.TokenStartIndex + 1, length, -1, false);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    _frames.RemoveAt(_frames.Count - 1);
                    break;
                case JsonTokenType.Comment:
                    return;
                default:
                    if (_frames.Count > 0 && _frames[^1].IsArray)
                    {
                        _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
                    }

                    if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        _frames.Add((0, 0, -1, token == JsonTokenType.StartArray));
                    }

                    break;
            }

            _last = token;
        }

        /// <summary>The path of the value the last token was in: an object or array just started is the value itself.</summary>
        public string Describe(ReadOnlySequence<byte> payload)
        {
            int count = _last is JsonTokenType.StartObject or JsonTokenType.StartArray ? _frames.Count - 1 : _frames.Count;
            var path = new StringBuilder("$");
            for (int i = 0; i < count; i++)
            {
                var (nameStart, nameLength, index, isArray) = _frames[i];
                if (isArray)
                {
                    path.Append('[').Append(index).Append(']');
                    continue;
                }

                if (nameLength == 0 && nameStart == 0)
                {
                    continue;
                }

                // The peer's own text, echoed back: bounded, and quoted unless it is a plain identifier.
                string name = Encoding.UTF8.GetString(payload.Slice(nameStart, Math.Min(nameLength, MaxNameLength)));
                bool plain = name.Length > 0 && nameLength <= MaxNameLength && name.AsSpan().IndexOfAnyExcept(IdentifierChars) < 0;
                path.Append(plain ? "." + name : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + (nameLength > MaxNameLength ? "…']" : "']"));
            }

            return path.ToString();
        }

        private static readonly SearchValues<char> IdentifierChars = SearchValues.Create("_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    }
}
