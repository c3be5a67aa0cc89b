using System.Globalization;
using System.Text;
using Fitten.Bench.Tracing;

namespace Fitten.Bench.Http.Internal;

/// <summary>
/// The request, encoded once: the hot loop sends these bytes as they are. A second copy carries a
/// <c>traceparent</c> header whose value each connection overwrites in place for a sampled request.
/// </summary>
internal sealed class HttpRequestTemplate
{
    public HttpRequestTemplate(HttpTargetOptions options)
    {
        var head = new StringBuilder();
        var uri = options.Url;
        head.Append(options.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(uri.IsDefaultPort ? uri.Host : uri.Authority).Append("\r\n");
        foreach (var (name, value) in options.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        // Methods that carry a body say so even when it is empty, or a server waits for one.
        if (!options.Body.IsEmpty || options.Method is "POST" or "PUT" or "PATCH")
        {
            head.Append("Content-Length: ").Append(options.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        var common = head.ToString();
        Plain = Build(common + "\r\n", options.Body.Span);
        var traced = common + "traceparent: ";
        TraceParentOffset = Encoding.ASCII.GetByteCount(traced);
        Traced = Build(traced + new string('0', TraceContext.TraceParentLength) + "\r\n\r\n", options.Body.Span);
        IsHead = options.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request without trace context.</summary>
    public byte[] Plain { get; }

    /// <summary>The request with a placeholder <c>traceparent</c> value at <see cref="TraceParentOffset"/>.</summary>
    public byte[] Traced { get; }

    public int TraceParentOffset { get; }

    /// <summary>A HEAD response has headers only, whatever its Content-Length says.</summary>
    public bool IsHead { get; }

    private static byte[] Build(string head, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[Encoding.ASCII.GetByteCount(head) + body.Length];
        var written = Encoding.ASCII.GetBytes(head, bytes);
        body.CopyTo(bytes.AsSpan(written));
        return bytes;
    }
}
