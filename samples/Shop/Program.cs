// The Shop sample: a gateway users call over HTTP/JSON, and orders, inventory and payments services that call each
// other through generated Fitten clients. See README.md.
//   dotnet run --project samples/Shop                                      all four in one process (no setup)
//   dotnet run --project samples/Shop -- --service orders                  one per process, endpoints from appsettings.json
//   dotnet run --project samples/Shop -- --service orders --etcd http://127.0.0.1:2379   one per process, through etcd
using System.Runtime.InteropServices;
using Shop.Hosting;

var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args, ShopSettings.SwitchMappings)
    .Build();

await using var shop = await ShopHost.StartAsync(configuration);
ShopBanner.Print(shop, Console.Out);

// The services ignore the signals themselves (ProcessOwnedLifetime), so they stop in order here, gateway first.
var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stop.Task;
await shop.StopAsync();

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
