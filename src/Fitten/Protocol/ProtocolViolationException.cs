namespace Fitten.Protocol;

/// <summary>
/// The peer broke the wire protocol. The connection that saw it closes, the server after a goaway with
/// <see cref="Code"/> (the client just closes); no other connection is affected.
/// </summary>
internal sealed class ProtocolViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolViolationException(GoAwayCode code, string message)
        : base(message) => Code = code;

    /// <summary>The goaway code that reports this violation to the peer.</summary>
    public GoAwayCode Code { get; }
}
