using System.Diagnostics.Metrics;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Resilience;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Tests.Resilience;

/// <summary>
/// A <see cref="FittenChannel"/> with no interceptor does its methods' breaker and retry inside the transport (the
/// pipeline's shortcut). The same behaviour as the chain, proven on a real server: an idempotent failure is retried,
/// the breaker opens on failures and then refuses without sending, a call never sent is retried for any method.
/// </summary>
public sealed class InlineGovernanceTests
{
    /// <summary>The server's Fail method, declared idempotent by this client (the server does not care).</summary>
    private static readonly Method<string, string> IdempotentFail = new("test.echo", "Fail", TestMethods.Utf8Marshaller.Instance, TestMethods.Utf8Marshaller.Instance, idempotent: true);

    /// <summary>A method of its own, so retries counted for it are this test's alone.</summary>
    private static readonly Method<string, string> Lonely = new("test.inline", "Nowhere", TestMethods.Utf8Marshaller.Instance, TestMethods.Utf8Marshaller.Instance);

    private static long CountRetries(string service, string method, Func<Task> act)
    {
        long retries = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FittenTelemetry.MeterName && instrument.Name == "fitten.rpc.client.retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            bool ours = false, ourMethod = false;
            foreach (var tag in tags)
            {
                ours |= tag.Key == "rpc.service" && Equals(tag.Value, service);
                ourMethod |= tag.Key == "rpc.method" && Equals(tag.Value, method);
            }

            if (ours && ourMethod)
            {
                Interlocked.Add(ref retries, value);
            }
        });
        listener.Start();
        act().GetAwaiter().GetResult();
        return Interlocked.Read(ref retries);
    }

    [Fact]
    public async Task IdempotentFailure_RetriedInline_ThenTheBreakerOpensAndRefusesUnsent()
    {
        await using var server = await FittenTestServer.StartAsync();
        var logs = new CapturingLoggerProvider();
        var options = new FittenChannelOptions { Policy = { Retry = { InitialBackoff = TimeSpan.FromMilliseconds(1) }, CircuitBreaker = { Enabled = true, MinimumThroughput = 6 } } };
        await using var channel = new FittenChannel(server.EndPoint, options, logs.CreateFactory());

        long retries = CountRetries("test.echo", "Fail", async () =>
        {
            var first = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(IdempotentFail, "Unavailable"));
            Assert.Equal(StatusCode.Unavailable, first.StatusCode);
        });
        Assert.Equal(2, retries); // three attempts, inline first, then the retry stage
        Assert.Empty(logs.Events(300));

        // Three more failed attempts fill the window to 6: the breaker opens; the next call is refused unsent.
        await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(IdempotentFail, "Unavailable"));
        Assert.Single(logs.Events(300));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(IdempotentFail, "Unavailable"));
        Assert.True(refused.NotProcessed);
        Assert.NotNull(refused.ResponseHeaders?.GetValue(FittenHeaders.CircuitOpen));
    }

    [Fact]
    public async Task NeverSent_RetriedInlineForAnyMethod_NotRetriedWhenOff()
    {
        // A loopback port nothing listens on: connects are refused at once (never sent, so retried for any method).
        int port;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var retrying = new FittenChannel(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), new FittenChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(1),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(2),
        });
        await using var single = new FittenChannel(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), new FittenChannelOptions { Policy = { Retry = { MaxAttempts = 1 } } });

        long retried = CountRetries("test.inline", "Nowhere", async () =>
            Assert.True((await Assert.ThrowsAsync<RpcException>(async () => await retrying.InvokeAsync(Lonely, ""))).NotProcessed));
        long notRetried = CountRetries("test.inline", "Nowhere", async () =>
            await Assert.ThrowsAsync<RpcException>(async () => await single.InvokeAsync(Lonely, "")));

        Assert.Equal((2, 0), (retried, notRetried));
    }

    [Fact]
    public async Task RequestOverTheServersFrameLimit_TheCallersOwnFailure_NotRetried_NotCountedByTheBreaker()
    {
        await using var server = await FittenTestServer.StartAsync(o => o.Limits.MaxFrameSize = 1024);
        var logs = new CapturingLoggerProvider();
        await using var channel = new FittenChannel(server.EndPoint, new FittenChannelOptions { Policy = { CircuitBreaker = { Enabled = true, MinimumThroughput = 2 } } }, logs.CreateFactory());
        await channel.InvokeAsync(TestMethods.Echo, [1]); // the server's limit is known

        long retries = CountRetries("test.echo", "Echo", async () =>
        {
            for (int i = 0; i < 5; i++)
            {
                var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(TestMethods.Echo, new byte[4096]));
                Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
            }
        });

        Assert.Equal(0, retries);
        Assert.Empty(logs.Events(300)); // one caller's oversized requests do not open the breaker for everyone
        Assert.Equal([2], await channel.InvokeAsync(TestMethods.Echo, [2]));
    }
}
