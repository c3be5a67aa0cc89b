namespace Fitten.Protocol;

/// <summary>Per-frame flag bits. Their meaning depends on the frame type (docs/protocol.md).</summary>
[Flags]
internal enum FrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>On settings and ping: this frame acknowledges the peer's frame.</summary>
    Ack = 0x1,

    /// <summary>On request and response: the sender sends nothing more on this stream (always set on unary frames).</summary>
    EndStream = 0x1,

    /// <summary>On a response: the server did not start processing the call, so the client may retry it anywhere.</summary>
    Refused = 0x2,
}
