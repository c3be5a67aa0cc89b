using System.Diagnostics;
using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Resilience;

/// <summary>
/// The client's one retry loop over three real Kestrel instances: what is retried and what never is, the budget that
/// bounds retries against a downstream that fails every call, chain stop across two hops, the attempt timeout, and
/// the server's retry-after hint. Calls are counted where they land, at the servers.
/// </summary>
public sealed class RetryTests : InstancesTest
{
    protected override bool RegisterAll => true;

    private ServiceChannel Create(Action<Fitten.Resilience.ClientPolicyOptions>? policy = null)
    {
        var options = new ServiceChannelOptions { LoadBalancingPolicy = LoadBalancing.LoadBalancingPolicies.RoundRobin };
        policy?.Invoke(options.Channel.Policy);
        return new ServiceChannel(InstanceServer.Service, Registry, options);
    }

    [Fact]
    public async Task IdempotentMethod_DownstreamFailsEveryCall_RetriesStayWithinTheBudget()
    {
        const int calls = 300;
        SetAll(s => s.FailWith = StatusCode.Unavailable);

        // 20% of calls plus 1 retry a second (10 over the budget's window): at most 60 + 10 retries, where three
        // attempts per call without a budget would make 600.
        await using var channel = Create(p =>
        {
            p.Retry.MaxAttempts = 3;
            p.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
            p.Retry.MaxBackoff = TimeSpan.FromMilliseconds(2);
            p.RetryBudget.MinRetriesPerSecond = 1;
        });
        int failed = 0;
        for (int i = 0; i < calls; i++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            failed++;
        }

        int retries = ServedCalls - calls;
        Console.WriteLine($"budget: {calls} calls failing at the server, {retries} retries (budget 0.2 x {calls} + 10 = {(0.2 * calls) + 10})");
        Assert.Equal(calls, failed);
        Assert.InRange(retries, 10, (int)(0.2 * calls) + 10 + 2); // +2: two retries racing for the last unit
    }

    [Fact]
    public async Task NonIdempotentMethod_FailsAfterItMayHaveRun_NeverRetried()
    {
        SetAll(s => s.FailWith = StatusCode.Unavailable);

        await using var channel = Create(p => p.Retry.MaxAttempts = 5);
        for (int i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Whoami, "", Call));
        }

        Assert.Equal(20, ServedCalls);
        Assert.Equal(0, Servers.Sum(s => s.RetriedCalls));
    }

    [Fact]
    public async Task NonIdempotentMethod_InstanceRefusesConnections_RetriedElsewhere_NoCallerVisibleError()
    {
        await Servers[1].KillAsync();
        await using var channel = Create();

        for (int i = 0; i < 30; i++)
        {
            string port = await channel.InvokeAsync(InstanceServer.Whoami, "", Call);
            Assert.NotEqual(Servers[1].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
        }

        Assert.Equal(30, Servers[0].Calls + Servers[2].Calls);
    }

    [Fact]
    public async Task RetriesOff_InstanceRefusesConnections_CallFailsNotProcessed()
    {
        await Servers[0].KillAsync();
        await Servers[1].KillAsync();
        await Servers[2].KillAsync();
        await using var channel = Create(p => p.Retry.MaxAttempts = 1);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Whoami, "", Call));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.NotProcessed);
    }

    [Fact]
    public async Task IdempotentMethod_RetriedAttemptCarriesTheMark_AndGoesToAnotherInstance()
    {
        Servers[0].FailWith = StatusCode.Unavailable;
        await using var channel = Create(p => p.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1));

        // Round robin (retries take turns too): over six calls some land first on the failing instance; each of those
        // is retried once, marked, on another instance, and never sent back to the one it failed on.
        var answers = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            answers.Add(await channel.InvokeAsync(InstanceServer.Read, "", Call));
        }

        Assert.InRange(Servers[0].Calls, 1, 3);
        Assert.Equal(0, Servers[0].RetriedCalls);
        Assert.Equal(Servers[0].Calls, Servers[1].RetriedCalls + Servers[2].RetriedCalls);
        Assert.DoesNotContain(Servers[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), answers);
    }

    [Fact]
    public async Task IdempotentMethod_OneInstanceHangs_AttemptTimeoutMovesTheCall()
    {
        Servers[2].Delay = TimeSpan.FromSeconds(30);
        await using var channel = Create(p =>
        {
            p.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            p.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1);
        });

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 6; i++)
        {
            await channel.InvokeAsync(InstanceServer.Read, "", Call);
        }

        // Round robin sends every third attempt (retries included) to the hanging instance: each costs its call one
        // attempt timeout there, then the call succeeds elsewhere; none waits out the 30 s.
        int hung = Servers[2].Calls;
        Assert.InRange(hung, 1, 3);
        Assert.Equal(6 + hung, ServedCalls);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(190 * hung), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task NonIdempotentMethod_AttemptTimesOut_NotRetried_DeadlineExceeded()
    {
        SetAll(s => s.Delay = TimeSpan.FromSeconds(30));

        await using var channel = Create(p => p.AttemptTimeout = TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Whoami, "", Call));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(1, ServedCalls);
    }

    [Fact]
    public async Task ResourceExhausted_WithRetryAfter_HonouredThenRetried_WithoutHint_NotRetried()
    {
        SetAll(s => s.FailWith = StatusCode.ResourceExhausted);
        await using var channel = Create(p => p.Retry.MaxAttempts = 2);

        // Without a hint: not retried, even for an idempotent method.
        await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
        Assert.Equal(1, ServedCalls);

        // With one: retried after at least the hinted wait.
        SetAll(s => s.Pushback = "300");

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
        Assert.Equal(3, ServedCalls);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), watch.Elapsed.ToString());

        // A negative hint means "do not retry".
        SetAll(s => s.Pushback = "-1");

        await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", Call));
        Assert.Equal(4, ServedCalls);
    }

    [Fact]
    public async Task RetryAfterHint_LongerThanTheTimeLeft_NotRetried_FailsAtOnce()
    {
        SetAll(s => s.FailWith = StatusCode.ResourceExhausted);
        SetAll(s => s.Pushback = "60000");

        await using var channel = Create();
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(InstanceServer.Read, "", CallOptions.WithTimeout(TimeSpan.FromSeconds(5))));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(1, ServedCalls);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task ChainStop_TwoHops_TheMiddleHopDoesNotRetryARetriedRequest()
    {
        SetAll(s => s.FailWith = StatusCode.Unavailable);

        // client → front (idempotent relay) → the three instances (idempotent Read, failing). Three attempts at each
        // hop without chain stop would reach the instances 3 × 3 = 9 times; with it, the first front attempt retries
        // (3) and the client's two retries of front are marked, so front sends each on once: 3 + 1 + 1 = 5.
        await using var back = Create(p => p.Retry.InitialBackoff = TimeSpan.FromMilliseconds(1));
        await using var front = await FrontServer.StartAsync(back);
        await using var client = new FittenChannel(front.EndPoint, new FittenChannelOptions { Policy = { Retry = { InitialBackoff = TimeSpan.FromMilliseconds(1) } } });

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.InvokeAsync(FrontServer.Relay, "", Call));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(3, front.Calls);
        Assert.Equal(5, ServedCalls);
    }

    /// <summary>A service whose idempotent Relay calls the instances' Read onward, passing their failure back up.</summary>
    private sealed class FrontServer : IAsyncDisposable
    {
        public static readonly Method<string, string> Relay = new("test.front", "Relay", TestMethods.Utf8Marshaller.Instance, TestMethods.Utf8Marshaller.Instance, idempotent: true);

        private readonly WebApplication _app;
        private int _calls;

        private FrontServer(WebApplication app) => _app = app;

        public IPEndPoint EndPoint { get; private set; } = null!;

        public int Calls => Volatile.Read(ref _calls);

        public static async Task<FrontServer> StartAsync(ServiceChannel back)
        {
            FrontServer? server = null;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddFitten().AddUnaryMethod(Relay, async (request, _) =>
            {
                Interlocked.Increment(ref server!._calls);
                return await back.InvokeAsync(InstanceServer.Read, request);
            });
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseFitten()));
            var app = builder.Build();
            server = new FrontServer(app);
            await app.StartAsync();
            server.EndPoint = new IPEndPoint(IPAddress.Loopback, new Uri(app.Urls.First()).Port);
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
