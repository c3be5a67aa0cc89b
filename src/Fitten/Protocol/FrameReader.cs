using System.Buffers;

namespace Fitten.Protocol;

/// <summary>Cuts whole frames off the front of a receive buffer. Shared by the client and the server read loops.</summary>
internal static class FrameReader
{
    /// <summary>
    /// Reads one frame if all of it has arrived. Returns false (consuming nothing) when it has not.
    /// A frame longer than <paramref name="maxFrameSize"/> throws before its payload is waited for.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < FrameHeader.Size)
        {
            header = default;
            return false;
        }

        Span<byte> headerBytes = stackalloc byte[FrameHeader.Size];
        buffer.Slice(0, FrameHeader.Size).CopyTo(headerBytes);
        header = FrameHeader.Read(headerBytes);
        if (header.Length > maxFrameSize)
        {
            throw new ProtocolViolationException(
                GoAwayCode.FrameSizeError,
                $"{header.Type} frame of {header.Length} bytes exceeds the maximum frame size of {maxFrameSize} bytes");
        }

        if (buffer.Length - FrameHeader.Size < header.Length)
        {
            return false;
        }

        payload = buffer.Slice(FrameHeader.Size, header.Length);
        buffer = buffer.Slice(payload.End);
        return true;
    }
}
