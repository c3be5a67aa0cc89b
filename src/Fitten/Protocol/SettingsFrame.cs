using System.Buffers;
using System.Buffers.Binary;

namespace Fitten.Protocol;

/// <summary>
/// The values a SETTINGS frame carries (docs/protocol.md §3.1), null where the frame leaves one out, and the one
/// encoder and parser of its payload for both sides: u16 id, u32 value entries, at most <see cref="MaxEntries"/>.
/// </summary>
internal readonly record struct SettingsFrame(int? MaxFrameSize, int? MaxConcurrentCalls, int? MaxMetadataSize)
{
    public const int EntrySize = 6;
    public const int MaxEntries = 32;

    /// <summary>What a client advertises: the limits on what it receives. Its concurrency is the server's to limit.</summary>
    public static SettingsFrame ForClient(Client.ClientLimits limits) => new(limits.MaxFrameSize, null, limits.MaxMetadataSize);

    /// <summary>What a server advertises: its limits on what it receives, and how many calls it runs per connection.</summary>
    public static SettingsFrame ForServer(FittenLimits limits) => new(limits.MaxFrameSize, limits.MaxConcurrentCalls, limits.MaxMetadataSize);

    public int PayloadLength => EntrySize * ((MaxFrameSize is null ? 0 : 1) + (MaxConcurrentCalls is null ? 0 : 1) + (MaxMetadataSize is null ? 0 : 1));

    /// <summary>Writes the entries into the first <see cref="PayloadLength"/> bytes of <paramref name="destination"/>.</summary>
    public void WritePayload(Span<byte> destination)
    {
        int at = 0;
        Write(destination, ref at, SettingId.MaxFrameSize, MaxFrameSize);
        Write(destination, ref at, SettingId.MaxConcurrentCalls, MaxConcurrentCalls);
        Write(destination, ref at, SettingId.MaxMetadataSize, MaxMetadataSize);
    }

    /// <summary>
    /// Reads a SETTINGS frame; null when it is an ACK (which carries nothing). Unknown ids are skipped (later versions
    /// add settings that way); a repeated id takes the last value.
    /// </summary>
    /// <exception cref="ProtocolViolationException">
    /// The frame is not on stream 0, is not whole entries, has more than <see cref="MaxEntries"/>, is an ACK with a
    /// payload, or carries a value outside the range <see cref="FittenLimits"/> allows for it (a Fitten peer cannot
    /// advertise one, so it is a broken peer, not a newer one).
    /// </exception>
    public static SettingsFrame? Read(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        bool ack = (header.Flags & FrameFlags.Ack) != 0;
        CheckShape(header, payload, ack ? 0 : EntrySize * MaxEntries);
        if (ack)
        {
            return null;
        }

        Span<byte> data = stackalloc byte[(int)payload.Length];
        payload.CopyTo(data);
        int? maxFrameSize = null, maxConcurrentCalls = null, maxMetadataSize = null;
        for (int i = 0; i < data.Length; i += EntrySize)
        {
            var id = (SettingId)BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            uint value = BinaryPrimitives.ReadUInt32BigEndian(data[(i + 2)..]);
            switch (id)
            {
                case SettingId.MaxFrameSize:
                    maxFrameSize = InRange("MAX_FRAME_SIZE", value, FittenLimits.MinFrameSize, FittenLimits.MaxFrameSizeCeiling);
                    break;
                case SettingId.MaxConcurrentCalls:
                    maxConcurrentCalls = InRange("MAX_CONCURRENT_CALLS", value, 1, FittenLimits.MaxConcurrentCallsCeiling);
                    break;
                case SettingId.MaxMetadataSize:
                    maxMetadataSize = InRange("MAX_METADATA_SIZE", value, FittenLimits.MinMetadataSize, FittenLimits.MaxMetadataSizeCeiling);
                    break;
            }
        }

        return new SettingsFrame(maxFrameSize, maxConcurrentCalls, maxMetadataSize);
    }

    private static void CheckShape(in FrameHeader header, in ReadOnlySequence<byte> payload, int maxLength)
    {
        if (header.StreamId != 0)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"settings on stream {header.StreamId}; settings belong to stream 0");
        }

        if (payload.Length % EntrySize != 0 || payload.Length > maxLength)
        {
            throw new ProtocolViolationException(
                GoAwayCode.ProtocolError,
                maxLength == 0
                    ? $"settings ACK with a {payload.Length}-byte payload; an ACK is empty"
                    : $"settings payload of {payload.Length} bytes; it must be whole {EntrySize}-byte entries, at most {MaxEntries}");
        }
    }

    /// <summary>The value when it lies in [min, max]; <paramref name="name"/> is the setting as docs/protocol.md spells it.</summary>
    private static int InRange(string name, uint value, int min, int max)
    {
        if (value < (uint)min || value > (uint)max)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"settings {name} of {value} is outside {min}–{max}");
        }

        return (int)value;
    }

    private static void Write(Span<byte> destination, ref int at, SettingId id, int? value)
    {
        if (value is { } v)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)id);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 2)..], (uint)v);
            at += EntrySize;
        }
    }
}
