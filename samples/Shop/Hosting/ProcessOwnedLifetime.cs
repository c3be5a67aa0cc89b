namespace Shop.Hosting;

/// <summary>
/// A host lifetime that ignores Ctrl+C and SIGTERM. Every WebApplication would otherwise stop on its own at the
/// signal, all at once; instead the process catches it and <see cref="ShopHost"/> stops the services in order.
/// </summary>
internal sealed class ProcessOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
