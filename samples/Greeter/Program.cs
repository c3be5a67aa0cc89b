// A code-first Fitten service: serve IGreeter with GreeterService, then call it through the generated client.
// Run: dotnet run --project samples/Greeter. Native AOT: see tests/aot/check.sh.
using System.Net;
using Fitten.AspNetCore.Hosting;
using Greeter;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddFitten().AddService<IGreeter, GreeterService>();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
var server = builder.Build();
await server.StartAsync();
var address = server.Urls.First();
Console.WriteLine($"samples.greeter listening on {address}");

var clientBuilder = WebApplication.CreateSlimBuilder(args);
clientBuilder.Services.AddFitten().AddClient<IGreeter>(address, o => o.DefaultTimeout = TimeSpan.FromSeconds(5));
await using var client = clientBuilder.Build();
var greeter = client.Services.GetRequiredService<IGreeter>();

var greeting = await greeter.GreetAsync("Fitten");
Console.WriteLine($"GreetAsync(\"Fitten\") -> {greeting.Text} (#{greeting.Number})");
await Task.WhenAll(Enumerable.Range(0, 100).Select(i => greeter.GreetAsync($"caller {i}").AsTask()));
int count = await greeter.CountAsync();
Console.WriteLine($"CountAsync()         -> {count}");

await server.StopAsync();
// Exit code for scripts (tests/aot/check.sh): 0 only if every call was answered.
return count == 101 ? 0 : 1;
