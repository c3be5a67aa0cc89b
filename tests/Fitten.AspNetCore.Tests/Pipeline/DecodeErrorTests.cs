using System.Net;
using System.Text;
using System.Text.Json;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Contracts;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// What a peer is told when its request does not decode, over Fitten RPC (raw frames, MemoryPack and JSON codecs) and
/// HTTP/JSON: the method and what was wrong in the input (a JSON path, "ends early"), never the server's type names
/// or exception text — unless the host runs in Development, as ASP.NET Core shows details there. The server logs the
/// whole exception either way.
/// </summary>
public sealed class DecodeErrorTests
{
    private const string Method = "test.greeter/Greet";

    /// <summary>Text that would give away the server's internals: CLR namespaces, the serializer, exception names.</summary>
    private static readonly string[] Internals = ["System.", "MemoryPack", "Exception", "Fitten.", "Greeting", "Int32", "LineNumber", "BytePositionInLine"];

    private static void AssertSaysEnoughAndNoMore(string message, params string[] expected)
    {
        Assert.Contains(Method, message, StringComparison.Ordinal);
        foreach (var part in expected)
        {
            Assert.True(message.Contains(part, StringComparison.Ordinal), $"'{part}' not in: {message}");
        }

        foreach (var internalName in Internals)
        {
            Assert.DoesNotContain(internalName, message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, byte[]> MemoryPackPayloads() => new()
    {
        { "a string length past the end", [0x7F, 0xFF, 0xFF, 0x7F, 0x61] },
        { "ends inside the first parameter", [0x05, 0x00] },
        { "nothing where an int should be", [0x00, 0x00, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(MemoryPackPayloads))]
    public async Task Rpc_UndecodableMemoryPack_StatusNamesMethod_NoInternals(string shape, byte[] payload)
    {
        _ = shape;
        await using var server = await Server.StartAsync(development: false);

        var (code, message) = await server.RawCallAsync(payload);

        Assert.Equal(StatusCode.InvalidArgument, code);
        AssertSaysEnoughAndNoMore(message, "not a valid encoding of the method's parameters");
        await server.Logs.WaitForAsync(DecodeFailedEvent, r => r.Exception is not null && r.Message.Contains(Method, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rpc_MemoryPackWithBytesLeftOver_SaysTheContractsDiffer()
    {
        await using var server = await Server.StartAsync(development: false);
        var valid = new List<byte>();
        valid.AddRange(MemoryPack.MemoryPackSerializer.Serialize("x"));
        valid.AddRange(MemoryPack.MemoryPackSerializer.Serialize(1));

        var (code, message) = await server.RawCallAsync([.. valid, 9, 9, 9]);

        Assert.Equal(StatusCode.InvalidArgument, code);
        AssertSaysEnoughAndNoMore(message, "3 bytes left after the last parameter");
    }

    [Theory]
    [InlineData("""{"name":"x","times":"two"}""", "$.times")]
    [InlineData("""{"name":["x"],"times":1}""", "$.name")]
    [InlineData("""{"name":"x","times":99999999999}""", "$.times")]
    [InlineData("""{"name":"x","times":""", "ends early")]
    [InlineData("""{"name":"x" "times":1}""", "not valid JSON")]
    [InlineData("""{"times":1}""", "'name' is required")]
    public async Task Rpc_UndecodableJsonCodec_StatusNamesMethodAndWhere_NoInternals(string json, string where)
    {
        await using var server = await Server.StartAsync(development: false);

        var (code, message) = await server.RawCallAsync(Encoding.UTF8.GetBytes(json), codec: "json");

        Assert.Equal(StatusCode.InvalidArgument, code);
        AssertSaysEnoughAndNoMore(message, where);
    }

    [Theory]
    [InlineData("/test.greeter/Greet", """{"name":"x","times":"two"}""", "$.times")]
    [InlineData("/test.greeter/Greet", """{"name":{"a":1},"times":1}""", "$.name")]
    [InlineData("/test.greeter/Greet", """{"name":"x","times":1.5}""", "$.times")]
    [InlineData("/test.greeter/Greet", """{"name":"x","times":""", "ends early")]
    [InlineData("/test.greeter/Greet", """{"name":"x",,"times":1}""", "not valid JSON")]
    [InlineData("/greetings/7/find", """["a",2]""", "$[1]")]
    [InlineData("/greetings/7/find", """["a",""", "ends early")]
    public async Task Http_UndecodableBody_DetailNamesMethodAndWhere_NoInternals(string path, string json, string where)
    {
        await using var server = await Server.StartAsync(development: false);

        var (status, problem) = await server.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(path.StartsWith("/test", StringComparison.Ordinal) ? Method : "test.greeter/Find", detail, StringComparison.Ordinal);
        Assert.True(detail.Contains(where, StringComparison.Ordinal), $"'{where}' not in: {detail}");
        foreach (var internalName in Internals)
        {
            Assert.DoesNotContain(internalName, detail, StringComparison.Ordinal);
        }

        await server.Logs.WaitForAsync(DecodeFailedEvent, r => r.Exception is JsonException);
    }

    [Fact]
    public async Task Development_DetailsIncludeTheExceptionMessage()
    {
        await using var server = await Server.StartAsync(development: true);

        var (status, problem) = await server.PostAsync("/test.greeter/Greet", """{"name":"x","times":"two"}""");
        var (code, message) = await server.RawCallAsync([0x7F, 0xFF, 0xFF, 0x7F, 0x61]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains("$.times", StringComparison.Ordinal), detail);
        Assert.Contains("System.Int32", detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Contains(Method, message, StringComparison.Ordinal);
        Assert.Contains("MemoryPack", message, StringComparison.Ordinal);
    }

    /// <summary>Fitten.Server's event for a request that did not decode.</summary>
    private const int DecodeFailedEvent = 20;

    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http;
        private readonly IPEndPoint _rpc;

        private Server(WebApplication app, CapturingLoggerProvider logs)
        {
            _app = app;
            Logs = logs;
            var urls = app.Urls.Select(u => new Uri(u)).ToArray();
            _rpc = new IPEndPoint(IPAddress.Loopback, urls[0].Port);
            _http = new HttpClient { BaseAddress = urls[1] };
        }

        public CapturingLoggerProvider Logs { get; }

        public static async Task<Server> StartAsync(bool development)
        {
            var logs = new CapturingLoggerProvider();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = development ? Environments.Development : Environments.Production });
            builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
            builder.Services.AddFitten().AddService<IGreeter, Greeter>();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, 0, l => l.UseFitten());
                k.Listen(IPAddress.Loopback, 0);
            });
            var app = builder.Build();
            app.MapFitten();
            await app.StartAsync();
            return new Server(app, logs);
        }

        public async Task<(StatusCode Code, string Message)> RawCallAsync(byte[] payload, string? codec = null)
        {
            await using var raw = await RawFittenConnection.ConnectAsync(_rpc);
            await raw.SendRequestAsync(1, Method, payload, codec is null ? null : metadata =>
            {
                metadata.Add(0x03);
                RawFittenConnection.AppendString(metadata, codec);
            });
            var response = await raw.ReadFrameAsync(FrameType.Response);
            Assert.NotNull(response);
            return response.ReadStatus();
        }

        public async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(string path, string json)
        {
            using var response = await _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
