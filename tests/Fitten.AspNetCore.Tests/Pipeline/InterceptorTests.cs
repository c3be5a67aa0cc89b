using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Fitten.AspNetCore.Hosting;
using Fitten.Client;
using Microsoft.Extensions.DependencyInjection;
using Fitten.Pipeline;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// A user's client and server interceptors, registered through options, over real sockets: both run for Fitten RPC
/// and the server one for HTTP/JSON too; headers go out and response headers come back.
/// </summary>
public sealed class InterceptorTests
{
    /// <summary>Adds a header to every call and remembers each outcome and the response headers it saw.</summary>
    private sealed class StampingClientInterceptor : ClientInterceptor
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public override async ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        {
            var headers = new Metadata();
            foreach (var entry in call.Options.Headers ?? new Metadata())
            {
                headers.Add(entry.Key, entry.Value, entry.Kind);
            }

            headers.Add("x-client-stamp", "stamped");
            var outcome = await next(call with { Options = call.Options with { Headers = headers } });
            Seen.Enqueue($"{call.Method.FullName} {outcome.Status.Code} timing={outcome.ResponseHeaders?.GetValue("x-server-timing")}");
            return outcome;
        }
    }

    /// <summary>Records each call with the client's stamp and answers with a timing header; refuses calls marked "deny".</summary>
    private sealed class TimingServerInterceptor : ServerInterceptor
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public override async ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
        {
            Seen.Enqueue($"{context.Method} stamp={context.RequestHeaders.GetValue("x-client-stamp")} current={ServerCallContext.Current?.Method}");
            context.ResponseHeaders.Add("x-server-timing", "app;dur=1");
            if (context.RequestHeaders.GetValue("x-deny") is not null)
            {
                return CallOutcome<TResponse>.Failure(StatusCode.PermissionDenied, "denied by interceptor");
            }

            return await next(request, context);
        }
    }

    [Fact]
    public async Task ClientAndServerInterceptors_RunForRpc_HeaderOutAndResponseHeaderBack()
    {
        var client = new StampingClientInterceptor();
        var server = new TimingServerInterceptor();
        await using var servers = await HopServers.StartAsync(configureBack: o => o.Interceptors.Add(server));
        await using var channel = FittenChannel.ForAddress(servers.Back.Urls.First(), new FittenChannelOptions { Interceptors = { client } });

        var report = await channel.InvokeAsync(IHopFitten.InspectAsync, default);

        Assert.Equal("stamped", report.Headers["x-client-stamp"]);
        Assert.Equal(["test.hop/Inspect stamp=stamped current=test.hop/Inspect"], server.Seen);
        Assert.Equal(["test.hop/Inspect OK timing=app;dur=1"], client.Seen);
    }

    [Fact]
    public async Task ServerInterceptor_FailureOutcome_ReachesRpcCallerWithResponseHeaders()
    {
        var server = new TimingServerInterceptor();
        await using var servers = await HopServers.StartAsync(configureBack: o => o.Interceptors.Add(server));
        await using var channel = FittenChannel.ForAddress(servers.Back.Urls.First());

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(
            IHopFitten.InspectAsync, default, new CallOptions { Headers = new Metadata().Add("x-deny", "1") }));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("denied by interceptor", ex.Status.Message);
        Assert.Equal("app;dur=1", ex.ResponseHeaders?.GetValue("x-server-timing"));
    }

    [Fact]
    public async Task ServerInterceptor_RunsForHttpJson_SameOutcomeAndHeaders()
    {
        var server = new TimingServerInterceptor();
        await using var servers = await HopServers.StartAsync(configureFront: o => o.Interceptors.Add(server));

        using var ok = await servers.FrontHttp.PostAsync("/test.hop/Inspect", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var denied = new HttpRequestMessage(HttpMethod.Post, "/test.hop/Inspect") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        denied.Headers.Add("x-deny", "1");
        using var refused = await servers.FrontHttp.SendAsync(denied);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("app;dur=1", ok.Headers.GetValues("x-server-timing").Single());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("denied by interceptor", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("app;dur=1", refused.Headers.GetValues("x-server-timing").Single());
        Assert.All(server.Seen, line => Assert.EndsWith("current=test.hop/Inspect", line, StringComparison.Ordinal));
        Assert.Equal(2, server.Seen.Count);
    }

    [Fact]
    public async Task ClientInterceptors_FromAddClientOptions_RunForGeneratedClientCalls()
    {
        var client = new StampingClientInterceptor();
        await using var servers = await HopServers.StartAsync(configureFrontClient: o => o.Interceptors.Add(client));
        await using var channel = servers.FrontChannel();

        // Front's generated IHop client (AddClient) calls Back: its interceptor stamps that onward call.
        var report = await channel.InvokeAsync(IHopFitten.RelayAsync, new IHopFitten.RelayAsyncRequest(0, false));

        Assert.Equal("stamped", report.Headers["x-client-stamp"]);
        Assert.Equal(["test.hop/Inspect OK timing="], client.Seen);
    }

    [Fact]
    public async Task ClientInterceptor_ForEveryClient_RunsBeforeEachClientsOwn()
    {
        var shared = new StampingClientInterceptor();
        var own = new StampingClientInterceptor();
        await using var servers = await HopServers.StartAsync();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddFitten().AddClientInterceptor(shared).AddClient<IHop>(servers.Back.Urls.First(), o => o.Interceptors.Add(own));
        await using var app = builder.Build();
        var channel = app.Services.GetRequiredKeyedService<FittenChannel>(IHopFitten.ServiceName);

        await app.Services.GetRequiredService<IHop>().InspectAsync();

        // The user slot: after telemetry and deadline, before fallback, retry, hedging and breaker.
        Assert.Equal([shared, own], channel.Pipeline.Stages.Skip(2).SkipLast(4).ToArray());
        Assert.Single(shared.Seen);
        Assert.Single(own.Seen);
    }

    [Fact]
    public async Task HttpJsonCalls_RecordRpcServerMetrics_LikeRpcCalls()
    {
        var recorded = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FittenTelemetry.MeterName && instrument.Name == "rpc.server.call.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (tagged.GetValueOrDefault("rpc.service") == "test.hop")
            {
                recorded.Enqueue($"{tagged["rpc.method"]} {tagged["rpc.response.status_code"]}");
            }
        });
        listener.Start();
        await using var servers = await HopServers.StartAsync();

        using var response = await servers.FrontHttp.PostAsync("/test.hop/Inspect", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Inspect OK", recorded);
    }
}
