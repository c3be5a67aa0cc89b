using Fitten.Discovery;
using Microsoft.Extensions.Logging;

namespace Fitten.Etcd.Tests;

/// <summary>
/// What a registry logs while etcd is down: one warning when it becomes unreachable (the error's message, no stack
/// trace), a Debug line with the exception per retry, one information line when it answers again.
/// </summary>
public sealed partial class EtcdRegistryTests
{
    /// <summary>Log event ids of the outage (docs/discovery.md#logs).</summary>
    private const int Unreachable = 133, Reachable = 134, AttemptFailed = 130;

    [Fact]
    public async Task EtcdStoppedAndRestarted_OneWarningADebugLinePerRetryOneInformationWhenBack()
    {
        // As a service does: one registry registers its instance and watches another service.
        await using var registry = Registry();
        await registry.RegisterAsync(new ServiceInstance("s", "127.0.0.1", 5001));
        using var cts = new CancellationTokenSource(Patience * 3);
        await using var watch = registry.WatchAsync("t", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        _logs.Clear();

        _etcd.Kill();

        // Both loops retry several times: the watch at once, the keep-alive from its next beat (a third of 10 s).
        await WaitUntilAsync(() => Task.FromResult(Retries("lease keep-alive") >= 2 && Retries("watch of t") >= 2));
        await _etcd.RestartAsync();

        // Following etcd again: a later change arrives.
        await using var other = Registry();
        await other.RegisterAsync(new ServiceInstance("t", "127.0.0.1", 6001));
        await WaitForCountAsync(watch, 1);

        var etcdRecords = _logs.Records.Where(r => r.Category == EtcdRegistry.LogCategory).ToArray();
        var warning = Assert.Single(etcdRecords, r => r.Level >= LogLevel.Warning);
        Assert.Equal(Unreachable, warning.EventId.Id);
        Assert.Null(warning.Exception);
        Assert.Contains($"etcd at {_etcd.Endpoint} is unreachable (Unavailable", warning.Message, StringComparison.Ordinal);
        Assert.All(etcdRecords.Where(r => r.EventId.Id == AttemptFailed), r => Assert.Equal((LogLevel.Debug, true), (r.Level, r.Exception is not null)));
        var back = await _logs.WaitForAsync(Reachable);
        Assert.Equal(LogLevel.Information, back.Level);
        Assert.Contains($"etcd at {_etcd.Endpoint} is reachable again", back.Message, StringComparison.Ordinal);
        Assert.Single(_logs.Events(Reachable));
    }

    /// <summary>Debug lines of failed attempts of the loop named <paramref name="loop"/>.</summary>
    private int Retries(string loop) => _logs.Records.Count(r => r.EventId.Id == AttemptFailed && r.Message.Contains(loop, StringComparison.Ordinal));
}
