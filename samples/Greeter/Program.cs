// A code-first Fitten service: serve IGreeter with GreeterService over Fitten RPC and HTTP/JSON, then call it
// through the generated client and with a plain HttpClient.
// Run: dotnet run --project samples/Greeter. Native AOT: see tests/aot/check.sh.
using System.Net;
using System.Text.Json;
using Fitten.AspNetCore.Hosting;
using Greeter;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddFitten().AddService<IGreeter, GreeterService>();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GreeterJsonContext.Default));
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()); // Fitten RPC
    k.Listen(IPAddress.Loopback, 0);                     // HTTP/JSON, OpenAPI, health
});
var server = builder.Build();
server.MapFitten();
await server.StartAsync();
var (rpcAddress, httpAddress) = (server.Urls.First(), server.Urls.Last());
Console.WriteLine($"samples.greeter: Fitten RPC on {rpcAddress}, HTTP on {httpAddress}");

var clientBuilder = WebApplication.CreateSlimBuilder(args);
clientBuilder.Services.AddFitten().AddClient<IGreeter>(rpcAddress, o => o.Policy.Timeout = TimeSpan.FromSeconds(5));
await using var client = clientBuilder.Build();
var greeter = client.Services.GetRequiredService<IGreeter>();

var greeting = await greeter.GreetAsync("Fitten");
Console.WriteLine($"GreetAsync(\"Fitten\") -> {greeting.Text} (#{greeting.Number})");
await Task.WhenAll(Enumerable.Range(0, 100).Select(i => greeter.GreetAsync($"caller {i}").AsTask()));

using var http = new HttpClient { BaseAddress = new Uri(httpAddress) };
string viaRoute = await http.GetStringAsync("/greet/web");
using var viaDefault = await http.PostAsync("/samples.greeter/Greet", new StringContent("""{"name":"post"}""", System.Text.Encoding.UTF8, "application/json"));
string openApi = await http.GetStringAsync("/openapi/v1.json");
Console.WriteLine($"GET /greet/web       -> {viaRoute}");
Console.WriteLine($"POST /samples.greeter/Greet -> {(int)viaDefault.StatusCode} {await viaDefault.Content.ReadAsStringAsync()}");
bool documented = JsonDocument.Parse(openApi).RootElement.GetProperty("paths").TryGetProperty("/greet/{name}", out _);
Console.WriteLine($"/openapi/v1.json     -> {openApi.Length} bytes, documents /greet/{{name}}: {documented}");

int count = await greeter.CountAsync();
Console.WriteLine($"CountAsync()         -> {count}");

await server.StopAsync();
// Exit code for scripts (tests/aot/check.sh): 0 only if every call was answered, over RPC and HTTP.
return count == 103 && viaRoute.Contains("Hello, web!", StringComparison.Ordinal) && viaDefault.IsSuccessStatusCode && documented ? 0 : 1;
