using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fitten.Client;
using Fitten.Pipeline;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// Review of the call pipeline (d042994..185e421): each test states what should hold and fails on the defect it
/// names. Real servers on loopback; every wait is bounded.
/// </summary>
public sealed class ReviewTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static CallOptions Tenant(string tenant)
        => new() { Headers = new Metadata().Add("tenant", tenant, MetadataEntryKind.ChainHeader), Timeout = Bound };

    /// <summary>Holds calls to Inspect until <see cref="Gate"/> opens (an async interceptor: a token fetch, a limiter).</summary>
    private sealed class GateInterceptor : ClientInterceptor
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        {
            if (call.Method.Name == "Inspect")
            {
                await Gate.Task.WaitAsync(Bound);
            }

            return await next(call);
        }
    }

    // ---- The ambient context of a pooled ServerCall outlives its call ----

    [Fact]
    public async Task Rpc_WorkOutlivingItsHandler_SeesNoCurrentCallOnceItsCallEnded()
    {
        // What is guaranteed: once a call's handler has finished, work it left behind reads no current call (until
        // the pooled context serves another call: a per-call context would cost ~100 B a call, so work that outlives
        // its handler must copy what it needs; docs/pipeline.md).
        await using var servers = await ProbeServers.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        servers.FrontHooks.Run = step =>
        {
            _ = Task.Run(async () =>
            {
                await gate.Task.WaitAsync(Bound);
                seen.TrySetResult(Probe.Tenant(ServerCallContext.Current));
            });
            return ValueTask.FromResult("started");
        };
        await using var channel = servers.FrontChannel();

        await channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("first"), Tenant("a"));
        gate.TrySetResult();

        Assert.Equal("<no call>", await seen.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task Rpc_OnwardCallStartedInHandlerNotAwaited_CarriesItsOwnCallsChainHeaders()
    {
        var interceptor = new GateInterceptor();
        await using var servers = await ProbeServers.StartAsync(interceptor);
        Task<string>? onward = null;
        servers.FrontHooks.Run = async step =>
        {
            if (step == "fire")
            {
                // Started while serving call 1 (tenant a); not awaited (a notification, fire and forget).
                onward = servers.BackClient.InspectAsync().AsTask();
                return "fired";
            }

            interceptor.Gate.TrySetResult();
            return await onward!.WaitAsync(Bound);
        };
        await using var channel = servers.FrontChannel();

        await channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("fire"), Tenant("a"));
        string backSaw = await channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("collect"), Tenant("b"));

        // The transport encodes the chain entries from the pooled ServerCall after call 1 returned it: Back gets
        // call 2's tenant (a cross-tenant leak), or none at all when the object was not reused.
        Assert.Equal("a", backSaw);
    }

    [Fact]
    public async Task Http_OnwardCallStartedInHandlerNotAwaited_CarriesItsOwnRequestsChainHeaders()
    {
        var interceptor = new GateInterceptor();
        await using var servers = await ProbeServers.StartAsync(interceptor);
        Task<string>? onward = null;
        servers.FrontHooks.Run = async step =>
        {
            if (step == "fire")
            {
                onward = servers.BackClient.InspectAsync().AsTask();
                return "fired";
            }

            interceptor.Gate.TrySetResult();
            return await onward!.WaitAsync(Bound);
        };

        using var first = await PostRunAsync(servers.FrontHttp, "fire", "tenant=a");
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        // Same keep-alive connection: Kestrel hands the next request the same (re-initialized) HttpContext.
        using var second = await PostRunAsync(servers.FrontHttp, "collect", "tenant=b");
        string body = await second.Content.ReadAsStringAsync();

        Assert.True(second.StatusCode == HttpStatusCode.OK, $"{(int)second.StatusCode}: {body}");
        Assert.Equal("a", JsonSerializer.Deserialize<string>(body));
    }

    [Fact]
    public async Task Http_OnwardCallStartedInHandler_FinishingAfterTheRequest_EndsWithRpcExceptionOrResponse()
    {
        var interceptor = new GateInterceptor();
        await using var servers = await ProbeServers.StartAsync(interceptor);
        Task<string>? onward = null;
        servers.FrontHooks.Run = step =>
        {
            onward = servers.BackClient.InspectAsync().AsTask();
            return ValueTask.FromResult("fired");
        };

        using var response = await PostRunAsync(servers.FrontHttp, "fire", "tenant=a");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        interceptor.Gate.TrySetResult();
        var ex = await Record.ExceptionAsync(() => onward!.WaitAsync(Bound));

        // A Fitten call ends with a response or an RpcException; here the transport reads the finished request's
        // HttpContext (RequestAborted) and an ObjectDisposedException escapes the client.
        Assert.True(ex is null or RpcException, ex?.ToString());
    }

    // ---- HTTP/JSON edge ----

    [Fact]
    public async Task Http_ResponseHeaderWithNonAsciiValue_CallIsStillAnsweredByFitten()
    {
        await using var servers = await ProbeServers.StartAsync();
        servers.FrontHooks.Run = step =>
        {
            ServerCallContext.Current!.ResponseHeaders.Add("x-note", "Zoë");
            return ValueTask.FromResult(step);
        };
        await using var channel = servers.FrontChannel();
        // Over RPC the same handler answers fine, header and all.
        Assert.Equal("rpc", await channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("rpc"), CallOptions.WithTimeout(Bound)));

        using var response = await PostRunAsync(servers.FrontHttp, "http", null);

        // Kestrel rejects the header while the endpoint writes it, outside any try: a bare 500 with no problem
        // details, and the exception reaches ASP.NET Core's unhandled-exception log instead of Fitten's mapping.
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Http_TimeoutHeaderNaN_Answers400ProblemDetails()
    {
        await using var servers = await ProbeServers.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/review.probe/Run")
        {
            Content = new StringContent("""{"step":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("fitten-timeout", "NaN");

        using var response = await servers.FrontHttp.SendAsync(request);

        // double.TryParse takes "NaN" whatever the NumberStyles; NaN passes "is <= 0 or > 86_400_000" and
        // TimeSpan.FromMilliseconds(NaN) throws out of the endpoint.
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // ---- Response metadata and the client's frame limit ----

    [Fact]
    public async Task Rpc_FailedResponseWithHeadersOverClientsFrameSize_DoesNotKillOtherCallsOnTheConnection()
    {
        await using var servers = await ProbeServers.StartAsync();
        servers.FrontHooks.Run = async step =>
        {
            if (step == "slow")
            {
                await Task.Delay(1500);
                return "slow done";
            }

            // 2 KB of response metadata on a failure: under the server's 8 KiB metadata limit, over the client's frame.
            ServerCallContext.Current!.ResponseHeaders.Add("x-detail", new string('d', 2000));
            throw new RpcException(StatusCode.FailedPrecondition, "no");
        };
        await using var channel = servers.FrontChannel(o => o.Limits.MaxFrameSize = 1024);
        var slow = channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("slow"), CallOptions.WithTimeout(Bound)).AsTask();
        await Task.Delay(200);

        var failed = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("fail"), CallOptions.WithTimeout(Bound)));
        var slowOutcome = await Record.ExceptionAsync(() => slow.WaitAsync(Bound));

        // An OK response with the same headers is refused with RESOURCE_EXHAUSTED; a failed one is written as is,
        // the client's frame reader takes it for a protocol violation and drops the connection with every call on it.
        Assert.Null(slowOutcome);
        Assert.NotEqual(StatusCode.Unavailable, failed.StatusCode);
    }

    // ---- Telemetry ----

    [Fact]
    public async Task Rpc_ResponseEncodingFails_ServerDurationRecordsInternal()
    {
        var statuses = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FittenTelemetry.MeterName && instrument.Name == "rpc.server.call.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) =>
        {
            string? method = null, status = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method")
                {
                    method = tag.Value as string;
                }
                else if (tag.Key == "rpc.response.status_code")
                {
                    status = tag.Value as string;
                }
            }

            if (method == "Unencodable")
            {
                statuses.Enqueue(status ?? "?");
            }
        });
        listener.Start();
        await using var servers = await ProbeServers.StartAsync();
        await using var channel = servers.FrontChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(IProbeFitten.UnencodableAsync, default, CallOptions.WithTimeout(Bound)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        listener.RecordObservableInstruments();

        // The client got INTERNAL; before the pipeline the server's metric said so too. Now the telemetry stage
        // records the handler's outcome (OK) and the encoding failure after it is never counted.
        Assert.Equal(["INTERNAL"], statuses.ToArray());
    }

    // ---- Client boundary ----

    [Fact]
    public async Task InvokeAsync_FailureKnownSynchronously_IsReturnedInTheValueTaskNotThrown()
    {
        await using var servers = await ProbeServers.StartAsync();
        await using var channel = servers.FrontChannel();
        ValueTask<string> pending = default;

        // A zero timeout fails in the deadline stage without any I/O.
        var thrown = Record.Exception(() => pending = channel.InvokeAsync(IProbeFitten.RunAsync, new IProbeFitten.RunAsyncRequest("x"), new CallOptions { Timeout = TimeSpan.Zero }));

        // The old async InvokeAsync put every failure in its task; `var t = client.XAsync(); … await t` (or
        // Task.WhenAll over several calls) now throws at the call site instead.
        Assert.Null(thrown);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await pending);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    private static Task<HttpResponseMessage> PostRunAsync(HttpClient http, string step, string? chain)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/review.probe/Run")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { step }), Encoding.UTF8, "application/json"),
        };
        if (chain is not null)
        {
            request.Headers.TryAddWithoutValidation("fitten-chain", chain);
        }

        return http.SendAsync(request).WaitAsync(Bound);
    }
}
