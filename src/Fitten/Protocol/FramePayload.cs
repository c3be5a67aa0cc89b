using System.Buffers.Binary;

namespace Fitten.Protocol;

/// <summary>Request and response frame payloads: u32 metadata length, metadata block, message (docs/protocol.md §3.2).</summary>
internal static class FramePayload
{
    public const int MetadataLengthSize = 4;

    /// <summary>Splits a payload into its metadata block and message.</summary>
    /// <exception cref="ProtocolViolationException">The metadata length runs past the payload.</exception>
    public static void Split(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> metadata, out ReadOnlySpan<byte> message)
    {
        if (payload.Length < MetadataLengthSize)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, "payload shorter than its metadata length field");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(payload);
        if (length > (uint)(payload.Length - MetadataLengthSize))
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"metadata length {length} runs past the {payload.Length}-byte payload");
        }

        metadata = payload.Slice(MetadataLengthSize, (int)length);
        message = payload[(MetadataLengthSize + (int)length)..];
    }
}
