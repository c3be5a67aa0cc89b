namespace Fitten.Protocol;

/// <summary>Why a connection is being closed, carried in a goaway frame.</summary>
internal enum GoAwayCode : uint
{
    /// <summary>Graceful shutdown: in-flight calls up to the named stream finish.</summary>
    NoError = 0,

    /// <summary>The peer broke the protocol (malformed frame, unexpected frame, bad stream id).</summary>
    ProtocolError = 1,

    /// <summary>A frame exceeded the receiver's advertised maximum frame size.</summary>
    FrameSizeError = 2,

    /// <summary>The sender failed internally.</summary>
    InternalError = 3,

    /// <summary>No call and no frame for longer than the idle timeout.</summary>
    IdleTimeout = 4,

    /// <summary>The preface named a protocol version this peer does not speak.</summary>
    UnsupportedVersion = 5,

    /// <summary>A frame (or the preface) started arriving but did not complete within the frame read timeout.</summary>
    ReadTimeout = 6,

    /// <summary>The peer kept sending but stopped reading the answers for longer than the frame read timeout.</summary>
    StalledPeer = 7,
}
