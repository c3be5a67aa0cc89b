namespace Fitten.Protocol;

/// <summary>One decoded metadata entry; spans point into the frame payload and live only as long as it.</summary>
internal readonly ref struct MetadataEntry
{
    public MetadataEntry(MetadataKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, int valueOffset, ulong number)
    {
        Kind = kind;
        ValueOffset = valueOffset;
        Key = key;
        Value = value;
        Number = number;
    }

    public MetadataKind Kind { get; }

    /// <summary>The key of a key/value kind; empty otherwise.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The value of a string or key/value kind; empty for varint kinds.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Where <see cref="Value"/> starts within the metadata block, so a reader can find it again later.</summary>
    public int ValueOffset { get; }

    /// <summary>The value of a varint kind.</summary>
    public ulong Number { get; }
}
