using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// Lets a shared port serve h2c (HTTP/2 with prior knowledge) next to HTTP/1.1 and Fitten RPC on .NET 10.
/// Kestrel 10 treats every cleartext connection on an HTTP/1.1-and-HTTP/2 endpoint as HTTP/1.1, and its protocol
/// pipelines can only be built by Kestrel itself. So Fitten adds one hidden HTTP/2-only endpoint that binds no
/// socket (<see cref="Http2HandoffEndPoint"/>, served by <see cref="Http2HandoffListenerFactory"/>, which never
/// accepts), captures the HTTP/2 pipeline Kestrel builds for it, and hands it the shared port's connections that
/// start with the HTTP/2 preface. The hidden endpoint shows up in the server's address list as
/// "http://fitten-h2c-handoff"; nothing can connect to it.
/// </summary>
internal sealed class Http2Handoff : IPostConfigureOptions<KestrelServerOptions>
{
    private readonly TaskCompletionSource<ConnectionDelegate> _pipeline = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _requested;

    /// <summary>Called by a shared endpoint while Kestrel is being configured: the hidden endpoint is needed.</summary>
    public void Request() => _requested = true;

    /// <summary>Runs after all of the app's Kestrel configuration, so the hidden endpoint is listed after the app's own.</summary>
    public void PostConfigure(string? name, KestrelServerOptions options)
    {
        if (!_requested)
        {
            return;
        }

        options.Listen(new Http2HandoffEndPoint(), listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next =>
            {
                _pipeline.TrySetResult(next);
                return next;
            });
        });
    }

    /// <summary>
    /// The HTTP/2 pipeline, once Kestrel has built it. A connection arriving on the shared port in the moment
    /// before the hidden endpoint is bound waits for it (bounded); null if it never comes.
    /// </summary>
    public async ValueTask<ConnectionDelegate?> GetPipelineAsync()
    {
        if (_pipeline.Task.IsCompletedSuccessfully)
        {
            return _pipeline.Task.Result;
        }

        try
        {
            return await _pipeline.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>The hidden endpoint's address; only <see cref="Http2HandoffListenerFactory"/> binds it.</summary>
internal sealed class Http2HandoffEndPoint : EndPoint
{
    /// <summary>How the endpoint appears in the server's address list (as "http://fitten-h2c-handoff").</summary>
    public const string Name = "fitten-h2c-handoff";

    public override string ToString() => Name;
}

/// <summary>Binds <see cref="Http2HandoffEndPoint"/> to a listener that never accepts a connection.</summary>
internal sealed class Http2HandoffListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is Http2HandoffEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IConnectionListener>(new NeverAcceptingListener(endpoint));

    private sealed class NeverAcceptingListener(EndPoint endPoint) : IConnectionListener
    {
        private readonly CancellationTokenSource _closed = new();

        public EndPoint EndPoint { get; } = endPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(_closed.Token, cancellationToken).Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // Null tells Kestrel the listener is closed.
            return null;
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => new(_closed.CancelAsync());

        public ValueTask DisposeAsync()
        {
            _closed.Cancel();
            _closed.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
