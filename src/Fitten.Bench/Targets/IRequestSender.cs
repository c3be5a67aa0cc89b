using Fitten.Bench.Tracing;

namespace Fitten.Bench.Targets;

/// <summary>
/// Sends one request at a time over one connection and tells how it went. Created by
/// <see cref="ILoadTarget.CreateSender"/>; used by exactly one worker, never concurrently.
/// </summary>
/// <remarks>
/// Contract the engine relies on: transport failures (refused connection, reset, malformed response) are
/// returned as a failed <see cref="RequestOutcome"/>, not thrown, and leave the sender able to reconnect on the
/// next call. Only cancellation throws (<see cref="OperationCanceledException"/>), and the sender must then
/// abandon the connection, because a response may still be on its way.
/// </remarks>
public interface IRequestSender : IAsyncDisposable
{
    /// <summary>Sends one request and waits for its complete response.</summary>
    /// <param name="trace">The W3C trace context to send (sampled), or <see cref="TraceContext.None"/>.</param>
    /// <param name="cancellationToken">Cancelled by the engine when the request times out or the run stops.</param>
    ValueTask<RequestOutcome> SendAsync(TraceContext trace, CancellationToken cancellationToken);
}
