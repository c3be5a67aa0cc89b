using System.Text;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Fitten.AspNetCore.Http;

/// <summary>
/// Writes an error as RFC 9457 problem details (<c>application/problem+json</c>), with the Fitten status name in
/// <c>code</c> and the trace id, written directly with a Utf8JsonWriter: no serializer metadata needed, so it works
/// the same under Native AOT whatever the application's JSON options hold.
/// </summary>
internal static class ProblemResponse
{
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");

    public static Task WriteAsync(HttpContext context, StatusCode code, string detail, string method, Metadata? headers = null)
        => WriteAsync(context, HttpStatusMapping.ToHttp(code), code, detail, method, headers);

    public static Task WriteAsync(HttpContext context, int httpStatus, StatusCode code, string detail, string method, Metadata? headers = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late for a status line; cut the response so the client cannot take a partial body for a whole one.
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        AddHeaders(response, headers);
        response.StatusCode = httpStatus;
        response.ContentType = "application/problem+json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString(Type, "about:blank");
            writer.WriteString(Title, ReasonPhrases.GetReasonPhrase(httpStatus) is { Length: > 0 } phrase ? phrase : HttpStatusMapping.Name(code));
            writer.WriteNumber(StatusName, httpStatus);
            writer.WriteString(Detail, detail);
            writer.WriteString(Code, HttpStatusMapping.Name(code));
            writer.WriteString(Method, method);
            if (Activity.Current?.Id is { } traceId)
            {
                writer.WriteString(TraceId, traceId);
            }

            writer.WriteEndObject();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Response metadata of a call, as HTTP response headers. Metadata may hold any text; HTTP headers may not, so a
    /// name or value with characters HTTP does not allow (non-ASCII, control characters, separators in a name) is
    /// sent percent-encoded as UTF-8, as RFC 8187 does for parameter values, rather than dropped or refused.
    /// </summary>
    public static void AddHeaders(HttpResponse response, Metadata? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (var header in headers)
        {
            response.Headers.Append(Escape(header.Key, TokenChars), Escape(header.Value, ValueChars));
        }
    }

    private static string Escape(string text, System.Buffers.SearchValues<char> allowed)
    {
        if (text.Length > 0 && text.AsSpan().IndexOfAnyExcept(allowed) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (allowed.Contains(c) && c != '%')
            {
                builder.Append(c);
                continue;
            }

            // A surrogate pair is one character of UTF-8: encode both halves together.
            int length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            foreach (byte b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.Length == 0 ? "%20" : builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> TokenChars = System.Buffers.SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly System.Buffers.SearchValues<char> ValueChars = System.Buffers.SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t");
}
