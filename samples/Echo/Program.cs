// The smallest Fitten program: an RPC server on Kestrel and a client calling it, in one process on loopback.
// Run: dotnet run --project samples/Echo
using System.Net;
using System.Text;
using Fitten;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;

var echo = new Method<byte[], byte[]>("samples.echo", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);
var slow = new Method<byte[], byte[]>("samples.echo", "Slow", BytesMarshaller.Instance, BytesMarshaller.Instance);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddFitten()
    .AddUnaryMethod(echo, static (request, _) => ValueTask.FromResult(request))
    .AddUnaryMethod(slow, static async (request, context) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(2), context.CancellationToken);
        return request;
    });

// Port 0: the OS picks a free port, so the sample never collides with anything already running.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseFittenAlongsideHttp()));
var app = builder.Build();
app.MapGet("/", () => "Fitten echo sample: this port also speaks Fitten RPC.");
await app.StartAsync();
var address = app.Urls.First();
Console.WriteLine($"Fitten RPC and HTTP listening on {address}");

await using var channel = FittenChannel.ForAddress(address);

var reply = await channel.InvokeAsync(echo, Encoding.UTF8.GetBytes("hello, fitten"));
Console.WriteLine($"Echo            -> \"{Encoding.UTF8.GetString(reply)}\"");

var calls = Enumerable.Range(0, 1000).Select(i => channel.InvokeAsync(echo, BitConverter.GetBytes(i)).AsTask());
var replies = await Task.WhenAll(calls);
Console.WriteLine($"1000 concurrent -> {replies.Select((r, i) => BitConverter.ToInt32(r) == i).Count(ok => ok)} answered correctly over {channel.OpenConnections} multiplexed connection(s)");

try
{
    await channel.InvokeAsync(slow, [1], CallOptions.WithTimeout(TimeSpan.FromMilliseconds(200)));
}
catch (RpcException ex)
{
    Console.WriteLine($"Slow (200 ms)   -> {ex.StatusCode}: {ex.Status.Message}");
}

using var http = new HttpClient();
Console.WriteLine($"HTTP GET /      -> {await http.GetStringAsync(address)}");

await app.StopAsync();
