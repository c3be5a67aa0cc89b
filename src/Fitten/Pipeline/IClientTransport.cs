namespace Fitten.Pipeline;

/// <summary>
/// The last stage of a client pipeline: gets the call to a server and back. <see cref="Client.FittenChannel"/> is
/// the transport to one endpoint, <see cref="Client.ServiceChannel"/> picks an instance of a service and uses its
/// channel. A transport knows nothing of policies: it obeys the call's <see cref="OutgoingCall{TRequest, TResponse}.Deadline"/>
/// and cancellation and reports the outcome as a value.
/// </summary>
public interface IClientTransport
{
    /// <summary>Sends the call; completes with its outcome, never throwing for a failed call.</summary>
    ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call);
}
