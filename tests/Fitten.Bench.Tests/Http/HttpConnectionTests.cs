using System.Text;
using Fitten.Bench.Http;
using Fitten.Bench.Http.Internal;

namespace Fitten.Bench.Tests.Http;

public sealed class HttpConnectionTests
{
    private static bool Parse(string head, out HttpConnection.ResponseHead result) =>
        HttpConnection.TryParseHead(Encoding.ASCII.GetBytes(head), out result);

    [Fact]
    public void TryParseHead_ContentLength_ReadsStatusAndLength()
    {
        Assert.True(Parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nDate: x\r\n", out var head));

        Assert.Equal(200, head.Status);
        Assert.Equal(4, head.ContentLength);
        Assert.False(head.Chunked);
        Assert.False(head.Close);
    }

    [Fact]
    public void TryParseHead_ChunkedAndClose_CaseInsensitive()
    {
        Assert.True(Parse("HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: Chunked\r\nCONNECTION: close\r\n", out var head));

        Assert.Equal(503, head.Status);
        Assert.True(head.Chunked);
        Assert.True(head.Close);
    }

    [Fact]
    public void TryParseHead_Http10_ClosesUnlessKeepAlive()
    {
        Assert.True(Parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n", out var head));
        Assert.True(head.Close);
        Assert.True(Parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n", out head));
        Assert.False(head.Close);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n")]
    public void TryParseHead_Malformed_ReturnsFalse(string head) => Assert.False(Parse(head, out _));

    [Fact]
    public void HttpTarget_PostWithBodyAndHeaders_EncodesRequestOnce()
    {
        var template = new HttpRequestTemplate(new HttpTargetOptions
        {
            Url = new Uri("http://127.0.0.1:8080/orders?x=1"),
            Method = "POST",
            Headers = [new("Content-Type", "application/json")],
            Body = Encoding.UTF8.GetBytes("{\"id\":1}"),
        });

        var text = Encoding.ASCII.GetString(template.Plain);
        Assert.Equal("POST /orders?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":1}", text);
        Assert.Equal("traceparent: ", Encoding.ASCII.GetString(template.Traced, template.TraceParentOffset - 13, 13));
    }

    [Theory]
    [InlineData("https://127.0.0.1/")]
    [InlineData("ftp://127.0.0.1/")]
    public void HttpTarget_UnsupportedScheme_Throws(string url) =>
        Assert.Throws<ArgumentException>(() => new HttpTarget(new HttpTargetOptions { Url = new Uri(url) }));
}
