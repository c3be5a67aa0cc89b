namespace Fitten.Protocol;

/// <summary>The kind of a Fitten frame (docs/protocol.md §3).</summary>
internal enum FrameType : byte
{
    /// <summary>Connection settings; stream 0. Each side's first frame.</summary>
    Settings = 0x0,

    /// <summary>A unary call: metadata block and request message.</summary>
    Request = 0x1,

    /// <summary>The answer to a request: metadata block (status) and response message.</summary>
    Response = 0x2,

    /// <summary>Client to server: stop working on a call; the server answers nothing further on it.</summary>
    Cancel = 0x3,

    /// <summary>Liveness probe; answered by a ping with the ACK flag carrying the same 8 bytes.</summary>
    Ping = 0x4,

    /// <summary>The sender will accept no stream above the id it names; sent on graceful shutdown and before closing on error.</summary>
    GoAway = 0x5,

    /// <summary>Reserved for streaming: a message on an open stream. Not accepted in protocol version 1.</summary>
    Data = 0x6,

    /// <summary>Reserved for streaming: trailing metadata closing a stream. Not accepted in protocol version 1.</summary>
    Trailers = 0x7,
}
