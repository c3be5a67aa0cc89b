using System.Collections.Concurrent;
using System.Net;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An HTTP client (HTTP/1.1, or h2c with prior knowledge) that keeps calling <c>GET /ping</c> on a shared port while a
/// test misbehaves on another connection, to prove bad input there costs HTTP callers on the same port nothing.
/// The server must map <c>/ping</c> to answer "pong over {protocol}".
/// </summary>
public sealed class WellBehavedHttpClient : IAsyncDisposable
{
    // The loop stops by itself after this long, so a test that forgets to stop it cannot hang the run.
    private static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;
    private readonly string _expected;
    private readonly CancellationTokenSource _stop = new(MaxRunTime);
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task _loop;
    private int _succeeded;

    private WellBehavedHttpClient(FittenTestServer server, Version version)
    {
        _http = new HttpClient
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(10),
        };
        _expected = version == HttpVersion.Version20 ? "pong over HTTP/2" : "pong over HTTP/1.1";
        _loop = CallLoopAsync();
    }

    /// <summary>Starts calling and returns once a first call has succeeded.</summary>
    public static async Task<WellBehavedHttpClient> StartAsync(FittenTestServer server, Version version)
    {
        var client = new WellBehavedHttpClient(server, version);
        await client.WaitForMoreCallsAsync(1);
        return client;
    }

    /// <summary>Lets some more calls run, stops, and asserts none failed.</summary>
    public async Task AssertUnaffectedAsync(int moreCalls = 5)
    {
        await WaitForMoreCallsAsync(moreCalls);
        await StopAsync();
        Assert.True(_failures.IsEmpty, $"The well-behaved {_expected[10..]} client saw {_failures.Count} failures: {string.Join(" | ", _failures.Take(5))}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WaitForMoreCallsAsync(int count)
    {
        int target = Volatile.Read(ref _succeeded) + count;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref _succeeded) < target && _failures.IsEmpty && !_stop.IsCancellationRequested)
        {
            Assert.True(DateTime.UtcNow < until, $"The well-behaved {_expected[10..]} client made only {_succeeded} of {target} calls in time.");
            await Task.Delay(10);
        }
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    private async Task CallLoopAsync()
    {
        await Task.Yield();
        for (int i = 0; !_stop.IsCancellationRequested; i++)
        {
            try
            {
                string reply = await _http.GetStringAsync("/ping", _stop.Token);
                if (reply != _expected)
                {
                    _failures.Enqueue($"call {i}: '{reply}'");
                }
                else
                {
                    Interlocked.Increment(ref _succeeded);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _failures.Enqueue($"call {i}: {ex.GetType().Name}: {ex.Message}");
            }

            try
            {
                // A breath between calls, so the loop does not starve the timers of the test it runs beside.
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
