using System.Diagnostics;

namespace Fitten.Pipeline;

/// <summary>
/// One outgoing unary call as the client pipeline's stages see it. A stage that changes something passes a copy to
/// the next stage (<c>next(call with { Deadline = … })</c>); the call itself is never shared between stages by reference.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public readonly record struct OutgoingCall<TRequest, TResponse>
{
    /// <summary>Describes a call to <paramref name="method"/>; the pipeline fills the rest.</summary>
    public OutgoingCall(Method<TRequest, TResponse> method, TRequest request, CallOptions options, ServerCallContext? inbound)
    {
        ArgumentNullException.ThrowIfNull(method);
        Method = method;
        Request = request;
        Options = options;
        Inbound = inbound;
    }

    /// <summary>The method called.</summary>
    public Method<TRequest, TResponse> Method { get; }

    /// <summary>The request message.</summary>
    public TRequest Request { get; init; }

    /// <summary>What the caller asked for: timeout, cancellation, headers, hash key, codec.</summary>
    public CallOptions Options { get; init; }

    /// <summary>
    /// The call this one is made while serving (the ambient <see cref="ServerCallContext.Current"/> when the call
    /// started), or null: outside a handler, or when <see cref="CallOptions.IgnoreCallContext"/> is set. The
    /// transport carries its tags and chain headers on, and its cancellation ends this call too.
    /// </summary>
    public ServerCallContext? Inbound { get; init; }

    /// <summary>
    /// When the call must be over, as a <see cref="Stopwatch.GetTimestamp"/> value; <see cref="long.MaxValue"/>: no
    /// deadline. Set by the pipeline's deadline stage from the timeout and the inbound call's deadline; the transport
    /// ends the call when it passes.
    /// </summary>
    public long Deadline { get; init; } = long.MaxValue;

    /// <summary>Which attempt this is: 0 for the first; a retrying stage counts up.</summary>
    public int Attempt { get; init; }

    /// <summary>The instance the previous attempt went to (its outcome's peer): the balancer picks another when it can.</summary>
    internal object? Avoid { get; init; }

    /// <summary>Time left until <see cref="Deadline"/>; null when there is none, zero once it has passed.</summary>
    public TimeSpan? TimeRemaining => Deadline == long.MaxValue ? null : Internal.Deadline.Remaining(Deadline);
}
