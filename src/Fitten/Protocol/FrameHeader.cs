using System.Buffers.Binary;

namespace Fitten.Protocol;

/// <summary>
/// The 10-byte header in front of every frame: payload length (u32), type (u8), flags (u8), stream id (u32),
/// all big-endian (docs/protocol.md §2).
/// </summary>
internal readonly record struct FrameHeader(int Length, FrameType Type, FrameFlags Flags, uint StreamId)
{
    /// <summary>The header's size on the wire.</summary>
    public const int Size = 10;

    /// <summary>Reads a header from the first <see cref="Size"/> bytes of <paramref name="source"/>.</summary>
    /// <exception cref="ProtocolViolationException">The length does not fit in a signed 32-bit integer.</exception>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(source);
        if (length > int.MaxValue)
        {
            throw new ProtocolViolationException(GoAwayCode.FrameSizeError, $"frame length {length} is out of range");
        }

        return new FrameHeader((int)length, (FrameType)source[4], (FrameFlags)source[5], BinaryPrimitives.ReadUInt32BigEndian(source[6..]));
    }

    /// <summary>Writes this header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Length);
        destination[4] = (byte)Type;
        destination[5] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], StreamId);
    }
}
