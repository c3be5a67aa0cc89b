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

    /// <summary>Response metadata of a call, as HTTP response headers.</summary>
    public static void AddHeaders(HttpResponse response, Metadata? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (var header in headers)
        {
            response.Headers.Append(header.Key, header.Value);
        }
    }
}
