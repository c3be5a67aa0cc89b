namespace Fitten;

/// <summary>
/// A call ended with a status other than OK. Thrown by clients; thrown by a handler to answer with a chosen
/// status (any other exception from a handler answers INTERNAL without its details).
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception for <paramref name="status"/>.</summary>
    public RpcException(Status status)
        : base(status.ToString()) => Status = status;

    /// <summary>Creates the exception from a code and message.</summary>
    public RpcException(StatusCode code, string message)
        : this(new Status(code, message))
    {
    }

    /// <summary>Creates the exception from a code, message and cause.</summary>
    public RpcException(StatusCode code, string message, Exception? innerException)
        : base(new Status(code, message).ToString(), innerException) => Status = new Status(code, message);

    /// <summary>The status the call ended with.</summary>
    public Status Status { get; }

    /// <summary>Shorthand for <c>Status.Code</c>.</summary>
    public StatusCode StatusCode => Status.Code;

    /// <summary>
    /// True when the server never started processing the call (it was refused on arrival, or its connection
    /// went away before the server accepted it), so retrying it anywhere cannot run it twice.
    /// </summary>
    public bool NotProcessed { get; init; }

    /// <summary>Metadata the server sent with its answer (for example a retry-after hint); null when it sent none.</summary>
    public Metadata? ResponseHeaders { get; init; }
}
