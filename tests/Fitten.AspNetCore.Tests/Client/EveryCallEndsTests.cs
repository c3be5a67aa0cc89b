using System.Net;
using System.Net.Sockets;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// Every call ends: with its response or its status, within its deadline plus <see cref="Slack"/>, in every
/// interleaving of the deadline with connecting, sending, transparent retries and goaways. Calls with 0–2 ms
/// deadlines against a real Kestrel server hit those windows thousands of times.
/// </summary>
public sealed class EveryCallEndsTests
{
    /// <summary>
    /// How long after its deadline a call may still be running: timer resolution, a thread pool that is busy with
    /// thousands of calls on two cores. A call past this is counted as hung.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private static readonly byte[] Payload = [1, 2, 3];

    /// <summary>Starts a call with a 0–2 ms deadline; the task ends with the call's status, or "hung" after the slack.</summary>
    private static async Task<string> CallAsync(FittenChannel channel, int deadlineMilliseconds)
    {
        var call = channel.InvokeAsync(TestMethods.Echo, Payload, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(deadlineMilliseconds))).AsTask();
        if (await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(deadlineMilliseconds) + Slack)) != call)
        {
            return "hung";
        }

        try
        {
            await call;
            return "OK";
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }

    private static void AssertNoneHung(IEnumerable<string> outcomes)
    {
        var counts = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        string summary = string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
        Assert.False(counts.ContainsKey("hung"), $"calls that never ended: {summary}");

        // A call that ends may succeed, run out of time, or (while a fresh channel connects) fail fast; nothing else.
        Assert.All(counts.Keys, k => Assert.Contains(k, new[] { "OK", "DeadlineExceeded", "Unavailable" }));
    }

    [Fact]
    public async Task FreshChannels_TinyDeadlines_EveryCallEnds()
    {
        await using var server = await FittenTestServer.StartAsync();
        var outcomes = new List<Task<string>>();
        var channels = new List<FittenChannel>();
        for (int c = 0; c < 200; c++)
        {
            var channel = server.CreateChannel();
            channels.Add(channel);
            for (int i = 0; i < 8; i++)
            {
                outcomes.Add(CallAsync(channel, (c + i) % 3));
            }
        }

        AssertNoneHung(await Task.WhenAll(outcomes));
        foreach (var channel in channels)
        {
            await channel.DisposeAsync();
        }
    }

    [Fact]
    public async Task SharedChannel_TinyDeadlines_EveryCallEnds()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var channel = server.CreateChannel(o => o.ConnectionsPerEndpoint = 2);
        var outcomes = new List<string>();
        for (int round = 0; round < 10; round++)
        {
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(0, 400).Select(i => CallAsync(channel, i % 3))));
        }

        AssertNoneHung(outcomes);

        // The storm left the channel usable (how many 1–2 ms calls made it depends on the machine's load).
        Assert.Equal(Payload, await channel.InvokeAsync(TestMethods.Echo, Payload, CallOptions.WithTimeout(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task ServerGoingAwayRepeatedly_TinyDeadlines_EveryCallEnds()
    {
        // Each stop sends GOAWAY: calls in the middle of a transparent retry or a reconnect meet their deadline there.
        int port = FreePort();
        await using var channel = new FittenChannel(new IPEndPoint(IPAddress.Loopback, port), new FittenChannelOptions
        {
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(1),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(5),
        });
        var outcomes = new List<string>();
        for (int round = 0; round < 5; round++)
        {
            await using var server = await FittenTestServer.StartAsync(port: port);
            var calls = Enumerable.Range(0, 300).Select(i => CallAsync(channel, i % 3)).ToArray();
            await server.StopAsync();
            outcomes.AddRange(await Task.WhenAll(calls));
        }

        AssertNoneHung(outcomes);
    }

    [Fact]
    public async Task ChannelDisposedUnderCalls_EveryCallEnds_LaterCallsFailUnavailable()
    {
        await using var server = await FittenTestServer.StartAsync();
        var channel = server.CreateChannel();
        var calls = Enumerable.Range(0, 300).Select(i => CallAsync(channel, i % 3)).ToArray();
        var disposing = channel.DisposeAsync().AsTask();
        var late = Enumerable.Range(0, 50).Select(i => CallAsync(channel, 1 + (i % 2))).ToArray();

        AssertNoneHung(await Task.WhenAll(calls.Concat(late)));
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        var after = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(TestMethods.Echo, Payload));
        Assert.Equal(StatusCode.Unavailable, after.StatusCode);
    }

    [Fact]
    public async Task ConnectThatHangs_CallEndsAtItsDeadline_NotAtTheConnectTimeout()
    {
        // A listener that never accepts, its backlog filled: Linux drops further SYNs, so a connect hangs the way
        // it does to a host that is down. The connect timeout is long; the call's 300 ms deadline must end it.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(endPoint);
            }

            await using var channel = new FittenChannel(endPoint, new FittenChannelOptions { ConnectTimeout = TimeSpan.FromSeconds(60) });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(TestMethods.Echo, Payload, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(300))).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(300) + Slack, $"the call ended after {watch.Elapsed}");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
