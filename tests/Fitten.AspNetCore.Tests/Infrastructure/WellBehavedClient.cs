using System.Collections.Concurrent;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A client that keeps calling <see cref="TestMethods.Echo"/> on a server (and checks every answer) while a test
/// misbehaves on another connection, to prove bad input on one connection costs nobody else anything.
/// </summary>
public sealed class WellBehavedClient : IAsyncDisposable
{
    // Every loop stops by itself after this long, so a test that forgets to stop it cannot hang the run.
    private static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(2);

    private readonly FittenChannel _channel;
    private readonly CancellationTokenSource _stop = new(MaxRunTime);
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task[] _callers;
    private int _succeeded;

    private WellBehavedClient(FittenTestServer server, int callers)
    {
        // One connection: it is never idle while the loops run, so it never meets the server's idle timeout.
        _channel = server.CreateChannel(o => o.ConnectionsPerEndpoint = 1);
        _callers = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            _callers[i] = CallLoopAsync(i);
        }
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Starts calling and returns once the first calls have succeeded, so what follows overlaps live traffic.</summary>
    public static async Task<WellBehavedClient> StartAsync(FittenTestServer server, int callers = 2)
    {
        var client = new WellBehavedClient(server, callers);
        await client.WaitForMoreCallsAsync(callers);
        return client;
    }

    /// <summary>Lets some more calls run (the misbehaviour's aftermath included), stops, and asserts none failed.</summary>
    public async Task AssertUnaffectedAsync(int moreCalls = 20)
    {
        await WaitForMoreCallsAsync(moreCalls);
        await StopAsync();
        Assert.True(_failures.IsEmpty, $"The well-behaved client saw {_failures.Count} failures: {string.Join(" | ", _failures.Take(5))}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _channel.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WaitForMoreCallsAsync(int count)
    {
        int target = Succeeded + count;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (Succeeded < target && _failures.IsEmpty && !_stop.IsCancellationRequested)
        {
            Assert.True(DateTime.UtcNow < until, $"The well-behaved client made only {Succeeded} of {target} calls in time.");
            await Task.Delay(10);
        }
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
    }

    private async Task CallLoopAsync(int caller)
    {
        // Off the test's thread at once; the loop never throws, it records.
        await Task.Yield();
        var payload = new byte[64];
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            BitConverter.TryWriteBytes(payload, caller);
            BitConverter.TryWriteBytes(payload.AsSpan(4), i);
            try
            {
                var reply = await _channel.InvokeAsync(TestMethods.Echo, payload, CallOptions.WithTimeout(TimeSpan.FromSeconds(10)));
                if (!reply.AsSpan().SequenceEqual(payload))
                {
                    _failures.Enqueue($"caller {caller} call {i}: wrong reply");
                }
                else
                {
                    Interlocked.Increment(ref _succeeded);
                }
            }
            catch (Exception ex)
            {
                _failures.Enqueue($"caller {caller} call {i}: {ex.GetType().Name}: {ex.Message}");
            }

            try
            {
                // A breath between calls, so the loops do not starve the timers of the tests they run beside.
                await Task.Delay(1, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
