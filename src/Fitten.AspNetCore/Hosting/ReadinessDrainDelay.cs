using Fitten.AspNetCore.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// Marks the service not ready as soon as the host starts stopping (the first lifecycle step, before even
/// <c>ApplicationStopping</c> fires), then holds shutdown for <see cref="FittenServerOptions.ReadinessDrainDelay"/>
/// before any hosted service, Kestrel among them, stops: <c>/readyz</c> answers 503 while the instance still accepts
/// connections, so load balancers and registries take it out of rotation first.
/// </summary>
internal sealed class ReadinessDrainDelay(IOptions<FittenServerOptions> options) : IHostedLifecycleService
{
    private volatile bool _draining;

    /// <summary>True from the moment the host begins to stop.</summary>
    public bool IsDraining => _draining;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.ReadinessDrainDelay;
        return delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
