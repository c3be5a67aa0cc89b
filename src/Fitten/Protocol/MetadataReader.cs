namespace Fitten.Protocol;

/// <summary>
/// Walks a metadata block entry by entry without allocating. Malformed input (a truncated varint or string, an
/// unknown core kind) throws <see cref="ProtocolViolationException"/>: the frame cannot be trusted, so neither can
/// the connection.
/// </summary>
internal ref struct MetadataReader
{
    private readonly int _blockLength;
    private ReadOnlySpan<byte> _remaining;
    private readonly int _maxEntries;
    private int _count;

    public MetadataReader(ReadOnlySpan<byte> block, int maxEntries)
    {
        _remaining = block;
        _blockLength = block.Length;
        _maxEntries = maxEntries;
        _count = 0;
    }

    /// <summary>Set when the block holds more entries than allowed; reading stops there.</summary>
    public bool TooManyEntries { get; private set; }

    public bool TryRead(out MetadataEntry entry)
    {
        entry = default;
        if (_remaining.IsEmpty)
        {
            return false;
        }

        if (++_count > _maxEntries)
        {
            TooManyEntries = true;
            return false;
        }

        var kind = (MetadataKind)_remaining[0];
        _remaining = _remaining[1..];
        switch (kind)
        {
            case MetadataKind.Timeout:
            case MetadataKind.Status:
                entry = new MetadataEntry(kind, default, default, 0, ReadNumber());
                return true;
            case MetadataKind.Method:
            case MetadataKind.Codec:
            case MetadataKind.TraceParent:
            case MetadataKind.TraceState:
            case MetadataKind.Baggage:
            case MetadataKind.Caller:
            case MetadataKind.StatusMessage:
                var text = ReadString(out int offset);
                entry = new MetadataEntry(kind, default, text, offset, 0);
                return true;
            case MetadataKind.Tag:
            case MetadataKind.Header:
            case MetadataKind.ChainHeader:
                var key = ReadString(out _);
                var value = ReadString(out int valueOffset);
                entry = new MetadataEntry(kind, key, value, valueOffset, 0);
                return true;
            default:
                if (kind >= MetadataKind.FirstExtension)
                {
                    var extension = ReadString(out int extensionOffset);
                    entry = new MetadataEntry(kind, default, extension, extensionOffset, 0);
                    return true;
                }

                throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"unknown metadata kind 0x{(byte)kind:X2}");
        }
    }

    private ulong ReadNumber()
    {
        int n = Varint.TryRead(_remaining, out ulong value);
        if (n == 0)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, "truncated varint in metadata");
        }

        _remaining = _remaining[n..];
        return value;
    }

    private ReadOnlySpan<byte> ReadString(out int offset)
    {
        ulong length = ReadNumber();
        offset = _blockLength - _remaining.Length;
        if (length > (ulong)_remaining.Length)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, "metadata string overruns its block");
        }

        var value = _remaining[..(int)length];
        _remaining = _remaining[(int)length..];
        return value;
    }
}
