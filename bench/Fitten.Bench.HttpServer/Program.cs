// Budget P5 server: the same two operations as a Fitten contract over HTTP/JSON and as Minimal API endpoints, one
// process, one JSON source-generated context. Usage (bench/run-http.sh does this):
//   dotnet bench/Fitten.Bench.HttpServer/bin/Release/net10.0/Fitten.Bench.HttpServer.dll --urls http://127.0.0.1:5090
using System.Text.Json;
using System.Text.Json.Serialization;
using Fitten.AspNetCore.Hosting;
using Fitten.Bench.HttpServer;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJsonContext.Default));
builder.Services.AddFitten(o => o.OpenApiRoute = null).AddService<IHttpEcho, HttpEcho>();
var app = builder.Build();
app.MapFitten();

// The Minimal API twins: what a team would write by hand for the same operations.
app.MapPost("/minimal/echo", static (EchoMessage message) => message);
app.MapGet("/minimal/hello/{name}", static (string name, int times) => new Hello("hello " + name, times));
app.Run();

/// <summary>The implementation: no work beyond building the answer, so the front ends are what is measured.</summary>
internal sealed class HttpEcho : IHttpEcho
{
    public ValueTask<EchoMessage> EchoAsync(EchoMessage message) => ValueTask.FromResult(message);

    public ValueTask<Hello> HelloAsync(string name, int times) => ValueTask.FromResult(new Hello("hello " + name, times));
}

/// <summary>JSON metadata shared by both front ends.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EchoMessage))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
