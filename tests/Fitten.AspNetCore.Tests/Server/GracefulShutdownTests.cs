using System.Collections.Concurrent;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>Stopping a server under load: goaway, drain, and no accepted call lost.</summary>
public class GracefulShutdownTests
{
    [Fact]
    public async Task StopAsync_WhileClientsKeepCalling_EveryCallCompletesOrIsRefusedUnprocessed()
    {
        var server = await FittenTestServer.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(10));
        await using var channel = server.CreateChannel(o =>
        {
            o.InitialReconnectBackoff = TimeSpan.FromMilliseconds(50);
            o.MaxReconnectBackoff = TimeSpan.FromMilliseconds(100);
        });
        int succeeded = 0;
        var failures = new ConcurrentBag<RpcException>();
        using var stopCallers = new CancellationTokenSource();

        async Task CallerAsync()
        {
            // Bounded: at most 2,000 calls per caller, and it stops soon after the server is gone.
            for (int i = 0; i < 2000 && !stopCallers.IsCancellationRequested; i++)
            {
                try
                {
                    await channel.InvokeAsync(TestMethods.Delay, "20");
                    Interlocked.Increment(ref succeeded);
                }
                catch (RpcException ex)
                {
                    failures.Add(ex);
                    await Task.Delay(5);
                }
            }
        }

        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(CallerAsync)).ToArray();
        await FittenRpcServerTests.WaitUntil(() => Volatile.Read(ref succeeded) > 200);

        await server.StopAsync();
        int startedAtStop = server.StartedCalls;
        await Task.Delay(300);
        await stopCallers.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));
        await server.DisposeAsync();

        // Every handler the server started ran to completion and its answer reached a caller.
        Assert.Equal(startedAtStop, server.StartedCalls);
        Assert.Equal(server.StartedCalls, server.CompletedCalls);
        Assert.Equal(server.CompletedCalls, succeeded);
        // Everything else was refused before the server accepted it, which the client can safely retry elsewhere.
        Assert.NotEmpty(failures);
        Assert.All(failures, ex =>
        {
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            Assert.True(ex.NotProcessed, ex.Message);
        });
    }

    [Fact]
    public async Task StopAsync_InFlightCallLongerThanNothing_FinishesWithinDrainTimeout()
    {
        var server = await FittenTestServer.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(10));
        await using var channel = server.CreateChannel();
        var call = channel.InvokeAsync(TestMethods.Delay, "700").AsTask();
        await FittenRpcServerTests.WaitUntil(() => server.StartedCalls == 1);

        await server.StopAsync();

        Assert.Equal("700", await call);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_DrainTimeoutPasses_LongCallIsCancelledAndClientToldUnavailable()
    {
        var server = await FittenTestServer.StartAsync(o => o.DrainTimeout = TimeSpan.FromMilliseconds(200));
        await using var channel = server.CreateChannel();
        var call = channel.InvokeAsync(TestMethods.Delay, "20000").AsTask();
        await FittenRpcServerTests.WaitUntil(() => server.StartedCalls == 1);

        await server.StopAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.False(ex.NotProcessed);
        Assert.Equal(0, server.CompletedCalls);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_RawClient_ReceivesGoAwayNamingLastAcceptedStream_AndLaterStreamIsRefused()
    {
        var server = await FittenTestServer.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(5));
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
        await raw.SendRequestAsync(1, "test.echo/Delay", "500"u8);
        await FittenRpcServerTests.WaitUntil(() => server.StartedCalls == 1);

        var stopping = server.StopAsync();
        var goAway = await raw.ReadFrameAsync(FrameType.GoAway);
        Assert.NotNull(goAway);
        var (last, code, _) = goAway.ReadGoAway();
        Assert.Equal(1u, last);
        Assert.Equal(GoAwayCode.NoError, code);

        await raw.SendRequestAsync(3, "test.echo/Echo", "late"u8);
        var frames = new List<ReceivedFrame>();
        for (int i = 0; i < 2; i++)
        {
            frames.Add((await raw.ReadFrameAsync(FrameType.Response))!);
        }

        var refused = Assert.Single(frames, f => f.Header.StreamId == 3);
        Assert.True(refused.Header.Flags.HasFlag(FrameFlags.Refused));
        Assert.Equal(StatusCode.Unavailable, refused.ReadStatus().Code);
        var answered = Assert.Single(frames, f => f.Header.StreamId == 1);
        Assert.Equal(StatusCode.OK, answered.ReadStatus().Code);
        Assert.Equal("500"u8.ToArray(), answered.Message);

        Assert.True(await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await stopping;
        await server.DisposeAsync();
    }
}
