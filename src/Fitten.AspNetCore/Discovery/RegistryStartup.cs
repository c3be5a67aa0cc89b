using Fitten.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Creates the chosen registry when the host starts, so a registry whose configuration does not parse or check
/// (its options are validated as it is created) fails start-up rather than a first call, and logs which registry
/// discovery uses (the effective configuration). In StartingAsync, which every hosted service runs before any
/// StartAsync, so a bad registry fails before Kestrel listens or this server registers itself.
/// </summary>
internal sealed partial class RegistryStartup(IOptions<RegistryOptions> options, IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var registrar = services.GetRequiredService<IServiceRegistrar>();
        var watcher = services.GetRequiredService<IServiceWatcher>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(RegistrarLog.Category);
        if (logger is not null)
        {
            // Code registered after AddRegistryFromConfiguration (AddEtcdRegistry…) wins, so name what is really used.
            Log.RegistryChosen(logger, options.Value.KindKey, options.Value.ServiceKey, watcher.GetType().Name, registrar.GetType().Name);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(102, LogLevel.Information, "{Key} is '{Kind}': services are resolved through {Watcher} and registered through {Registrar}.", EventName = "RegistryChosen")]
        public static partial void RegistryChosen(ILogger logger, string key, string kind, string watcher, string registrar);
    }
}
