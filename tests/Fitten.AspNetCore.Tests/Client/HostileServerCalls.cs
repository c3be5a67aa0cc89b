using System.Collections.Concurrent;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// What the hostile-server tests share: calls that report how they ended (never hanging the test), the check that a
/// channel works again once its address is healthy, and a watch for exceptions nobody observed.
/// </summary>
internal static class HostileServerCalls
{
    /// <summary>How long past its deadline a call may take before it counts as hung: a loaded 2-core machine.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    /// <summary>How long a channel gets to work again after its address turned healthy (a stuck connection waits for keepalive).</summary>
    public static readonly TimeSpan RecoverWithin = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Makes one echo call and says how it ended: "OK" (its own message back), "OK:other" (another answer), the status
    /// code's name, "hung" (still running <see cref="Slack"/> after its deadline) or "threw" and what it threw.
    /// </summary>
    public static async Task<string> CallAsync(FittenChannel channel, byte[] message, TimeSpan deadline)
    {
        var call = channel.InvokeAsync(TestMethods.Echo, message, CallOptions.WithTimeout(deadline)).AsTask();
        try
        {
            var answer = await call.WaitAsync(deadline + Slack);
            return answer.AsSpan().SequenceEqual(message) ? "OK" : "OK:other";
        }
        catch (TimeoutException)
        {
            return "hung";
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Every outcome is one of <paramref name="expected"/> (so none hung and none threw something else).</summary>
    public static void AssertOutcomes(IReadOnlyCollection<string> outcomes, params string[] expected)
        => Assert.True(
            outcomes.All(expected.Contains),
            $"expected only {string.Join("/", expected)}; got {string.Join(", ", outcomes)}");

    /// <summary>Calls through <paramref name="channel"/> until one succeeds, within <see cref="RecoverWithin"/>.</summary>
    public static async Task AssertRecoversAsync(FittenChannel channel, string context)
    {
        var until = DateTime.UtcNow + RecoverWithin;
        var seen = new List<string>();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var outcome = await CallAsync(channel, [0x5A, (byte)attempt], TimeSpan.FromSeconds(2));
            if (outcome == "OK")
            {
                return;
            }

            seen.Add(outcome);
            if (DateTime.UtcNow > until)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{context}: the channel did not work again against a healthy server; calls ended {string.Join(", ", seen)}");
    }

    /// <summary>
    /// Collects exceptions of faulted tasks that nobody observed and that came from the client (other tests run in
    /// parallel in this process; their tasks are not this test's business).
    /// </summary>
    public sealed class UnobservedExceptions : IDisposable
    {
        private readonly ConcurrentQueue<Exception> _seen = new();

        public UnobservedExceptions() => TaskScheduler.UnobservedTaskException += OnUnobserved;

        /// <summary>Forces the collections that surface unobserved task exceptions, then asserts none came from the client.</summary>
        public void AssertNone(string context = "")
        {
            for (int i = 0; i < 2; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.True(_seen.IsEmpty, $"{context} unobserved exceptions: {string.Join(Environment.NewLine, _seen)}");
        }

        public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

        private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains("Fitten.Client", StringComparison.Ordinal))
            {
                _seen.Enqueue(e.Exception);
            }
        }
    }
}
