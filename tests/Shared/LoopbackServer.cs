using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (random port) that counts what it serves, so tests can compare the load
/// generator's figures with the server's own. Endpoints:
/// <c>/ping</c> (Content-Length body), <c>/chunked</c> (chunked body), <c>/status/{code}</c>, and any path while
/// a stall is armed with <see cref="StallOnceAfter"/>.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private long _stallAtRequest = long.MaxValue;
    private long _stallUntil;
    private TimeSpan _stallFor;
    private long _stalled;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>Requests the server received (all paths).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The traceparent headers the server saw.</summary>
    public ConcurrentQueue<string> TraceParents { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The last request to <c>/echo</c>: method, a header, body length.</summary>
    public (string Method, string? Header, long BodyLength) LastEcho { get; private set; }

    /// <summary>Requests that waited for the armed stall.</summary>
    public long StalledRequests => Interlocked.Read(ref _stalled);

    public Uri Url(string path) => new(BaseUri, path);

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    /// <summary>
    /// Arms a single stall: when request number <paramref name="afterRequests"/> arrives, every request that arrives
    /// during the next <paramref name="duration"/> waits until it is over, like a server frozen by a long GC pause.
    /// </summary>
    public void StallOnceAfter(long afterRequests, TimeSpan duration)
    {
        _stallFor = duration;
        Interlocked.Exchange(ref _stallAtRequest, afterRequests);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests);
        if (context.Request.Headers.TryGetValue("traceparent", out var traceparent))
        {
            TraceParents.Enqueue(traceparent.ToString());
        }

        if (n == Interlocked.Read(ref _stallAtRequest))
        {
            Interlocked.Exchange(ref _stallUntil, Stopwatch.GetTimestamp() + (long)(_stallFor.TotalSeconds * Stopwatch.Frequency));
        }

        var until = Interlocked.Read(ref _stallUntil);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
        if (wait > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _stalled);
            await Task.Delay(wait);
        }

        var path = context.Request.Path.Value ?? "/";
        if (path == "/chunked")
        {
            // No Content-Length and two writes: Kestrel answers with Transfer-Encoding: chunked.
            await context.Response.WriteAsync("chunk-one;");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("chunk-two");
            return;
        }

        if (path == "/echo")
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            LastEcho = (context.Request.Method, context.Request.Headers["X-Fitten-Test"].ToString(), body.Length);
            context.Response.ContentLength = 2;
            await context.Response.Body.WriteAsync("ok"u8.ToArray());
            return;
        }

        // Large bodies, framed by Content-Length (/bytes/N) or chunked (/chunked-bytes/N), to exercise partial reads.
        if ((path.StartsWith("/bytes/", StringComparison.Ordinal) || path.StartsWith("/chunked-bytes/", StringComparison.Ordinal))
            && int.TryParse(path.AsSpan(path.LastIndexOf('/') + 1), out var size))
        {
            var payload = new byte[size];
            if (path.StartsWith("/bytes/", StringComparison.Ordinal))
            {
                context.Response.ContentLength = size;
            }

            for (var offset = 0; offset < size; offset += 64 * 1024)
            {
                await context.Response.Body.WriteAsync(payload.AsMemory(offset, Math.Min(64 * 1024, size - offset)));
                await context.Response.Body.FlushAsync();
            }

            return;
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path.AsSpan(8), out var status))
        {
            context.Response.StatusCode = status;
            return;
        }

        context.Response.ContentLength = 4;
        await context.Response.Body.WriteAsync("pong"u8.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
