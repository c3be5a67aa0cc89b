using System.Diagnostics;
using System.Net;
using System.Text;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Telemetry;
using Microsoft.AspNetCore.Builder;
using Fitten.AspNetCore.Tests.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Fitten.AspNetCore.Tests.Telemetry;

/// <summary>
/// Malformed W3C trace context (traceparent, tracestate, baggage) from a peer, with an OpenTelemetry tracer
/// listening, so the server extracts it and starts spans: each call is answered as if the context were absent, and
/// the server keeps serving. Over RPC the values are raw metadata bytes (invalid UTF-8 included); over HTTP they are
/// request headers, with ASP.NET Core's own span listened to as well.
/// </summary>
public sealed class MalformedTraceContextTests
{
    private const string ValidParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly byte[] InvalidUtf8 = [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0x80, 0xF0, 0x9F];

    /// <summary>(traceparent, tracestate, baggage) as raw bytes; null leaves the entry out.</summary>
    public static TheoryData<string, byte[]?, byte[]?, byte[]?> RpcShapes()
    {
        static byte[] A(string text) => Encoding.ASCII.GetBytes(text);
        byte[] valid = A(ValidParent);
        return new()
        {
            { "garbage traceparent", A("not-a-traceparent"), null, null },
            { "all-zero ids", A("00-00000000000000000000000000000000-0000000000000000-01"), null, null },
            { "version ff", A("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), null, null },
            { "uppercase hex", A("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01"), null, null },
            { "oversized traceparent", A(ValidParent + new string('0', 20_000)), null, null },
            { "invalid UTF-8 traceparent", [.. InvalidUtf8, .. valid], null, null },
            { "empty traceparent", [], [], [] },
            { "oversized tracestate", valid, A(string.Join(",", Enumerable.Range(0, 4_000).Select(i => $"k{i}=v{i}"))), null },
            { "tracestate of separators", valid, A("===,,,=,=\t, ,"), null },
            { "tracestate with control characters", valid, A("a=\u0001\u0000b,\r\n"), null },
            { "invalid UTF-8 tracestate", valid, InvalidUtf8, null },
            { "baggage with bad escapes", valid, null, A("k=%ZZ,%=%,v=%E2%82") },
            { "baggage without values", valid, null, A("k,=,==,;;;,k=v;p;=") },
            { "oversized baggage", valid, null, A(string.Join(",", Enumerable.Range(0, 4_000).Select(i => $"key{i}=value{i}"))) },
            { "invalid UTF-8 baggage", valid, null, InvalidUtf8 },
            { "everything malformed", InvalidUtf8, InvalidUtf8, A("%%%") },
        };
    }

    [Theory]
    [MemberData(nameof(RpcShapes))]
    public async Task Rpc_MalformedTraceContextWithListener_CallAnsweredOk_ServerKeepsServing(string shape, byte[]? traceParent, byte[]? traceState, byte[]? baggage)
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(FittenTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.MaxMetadataSize = 256 * 1024);
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);

        await raw.SendRequestAsync(1, "test.echo/Echo", [1, 2, 3], metadata =>
        {
            Append(metadata, 0x04, traceParent);
            Append(metadata, 0x05, traceState);
            Append(metadata, 0x06, baggage);
        });
        var response = await raw.ReadFrameAsync(Fitten.Protocol.FrameType.Response);

        Assert.NotNull(response);
        var (code, message) = response.ReadStatus();
        Assert.True(code == StatusCode.OK, $"{shape}: {code} {message}");
        Assert.Equal([1, 2, 3], response.Message);
        Assert.Contains(spans.ToArray(), s => s.Kind == ActivityKind.Server && s.DisplayName == "test.echo/Echo");

        // The same connection and a fresh client both still get answers.
        await raw.SendRequestAsync(3, "test.echo/Echo", [4]);
        Assert.Equal(StatusCode.OK, (await raw.ReadFrameAsync(Fitten.Protocol.FrameType.Response))!.ReadStatus().Code);
        await using var channel = server.CreateChannel();
        Assert.Equal([5], await channel.InvokeAsync(TestMethods.Echo, [5]));
    }

    public static TheoryData<string, string?, string?, string?> HttpShapes()
    {
        return new()
        {
            { "garbage traceparent", "not-a-traceparent", null, null },
            { "all-zero ids", "00-00000000000000000000000000000000-0000000000000000-01", null, null },
            { "oversized traceparent", ValidParent + new string('0', 8_000), null, null },
            { "oversized tracestate", ValidParent, string.Join(",", Enumerable.Range(0, 900).Select(i => $"k{i}=v{i}")), null },
            { "tracestate of separators", ValidParent, "===,,,=,=\t, ,", null },
            { "baggage with bad escapes", ValidParent, null, "k=%ZZ,%=%,v=%E2%82" },
            { "baggage without values", ValidParent, null, "k,=,==,;;;,k=v;p;=" },
            { "oversized baggage", ValidParent, null, string.Join(",", Enumerable.Range(0, 700).Select(i => $"key{i}=value{i}")) },
            { "everything malformed", "%%%", "%%%", "%%%" },
        };
    }

    [Theory]
    [MemberData(nameof(HttpShapes))]
    public async Task Http_MalformedTraceContextWithListener_CallAnsweredOk_ServerKeepsServing(string shape, string? traceParent, string? traceState, string? baggage)
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(FittenTelemetry.SourceName, "Microsoft.AspNetCore")
            .AddInMemoryExporter(spans)
            .Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddService<IGreeter, Greeter>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapFitten();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.greeter/Greet") { Content = new StringContent("""{"name":"x","times":1}""", Encoding.UTF8, "application/json") };
        Add(request, "traceparent", traceParent);
        Add(request, "tracestate", traceState);
        Add(request, "baggage", baggage);
        using var response = await http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{shape}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var again = await http.PostAsync("/test.greeter/Greet", new StringContent("""{"name":"y","times":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await app.StopAsync();
    }

    private static void Append(List<byte> metadata, byte kind, byte[]? value)
    {
        if (value is null)
        {
            return;
        }

        metadata.Add(kind);
        RawFittenConnection.AppendVarint(metadata, (ulong)value.Length);
        metadata.AddRange(value);
    }

    private static void Add(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }
    }
}
