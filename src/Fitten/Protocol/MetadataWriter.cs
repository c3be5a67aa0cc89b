using System.Buffers.Binary;
using System.Text;
using Fitten.Internal;

namespace Fitten.Protocol;

/// <summary>
/// Writes a frame payload's metadata block: a u32 length, then entries. Writes straight into the payload buffer
/// and patches the length when done, so nothing is allocated.
/// </summary>
internal ref struct MetadataWriter
{
    private readonly PooledBufferWriter _output;
    private readonly int _lengthOffset;
    private int _written;

    public MetadataWriter(PooledBufferWriter output)
    {
        _output = output;
        _lengthOffset = output.WrittenCount;
        output.GetSpan(4);
        output.Advance(4);
        _written = 0;
    }

    public readonly int BytesWritten => _written;

    public void WriteNumber(MetadataKind kind, ulong value)
    {
        var span = _output.GetSpan(1 + Varint.MaxLength64);
        span[0] = (byte)kind;
        Commit(1 + Varint.Write(span[1..], value));
    }

    public void WriteString(MetadataKind kind, ReadOnlySpan<byte> utf8)
    {
        var span = _output.GetSpan(1 + Varint.MaxLength64 + utf8.Length);
        span[0] = (byte)kind;
        int n = 1 + Varint.Write(span[1..], (ulong)utf8.Length);
        utf8.CopyTo(span[n..]);
        Commit(n + utf8.Length);
    }

    public void WriteString(MetadataKind kind, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        var span = _output.GetSpan(1 + Varint.MaxLength64 + byteCount);
        span[0] = (byte)kind;
        int n = 1 + Varint.Write(span[1..], (ulong)byteCount);
        Commit(n + Encoding.UTF8.GetBytes(value, span[n..]));
    }

    public void WritePair(MetadataKind kind, string key, string value)
    {
        int keyBytes = Encoding.UTF8.GetByteCount(key);
        int valueBytes = Encoding.UTF8.GetByteCount(value);
        var span = _output.GetSpan(1 + (2 * Varint.MaxLength64) + keyBytes + valueBytes);
        span[0] = (byte)kind;
        int n = 1 + Varint.Write(span[1..], (ulong)keyBytes);
        n += Encoding.UTF8.GetBytes(key, span[n..]);
        n += Varint.Write(span[n..], (ulong)valueBytes);
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        Commit(n);
    }

    public void WritePair(MetadataKind kind, ReadOnlySpan<byte> utf8Key, ReadOnlySpan<byte> utf8Value)
    {
        var span = _output.GetSpan(1 + (2 * Varint.MaxLength64) + utf8Key.Length + utf8Value.Length);
        span[0] = (byte)kind;
        int n = 1 + Varint.Write(span[1..], (ulong)utf8Key.Length);
        utf8Key.CopyTo(span[n..]);
        n += utf8Key.Length;
        n += Varint.Write(span[n..], (ulong)utf8Value.Length);
        utf8Value.CopyTo(span[n..]);
        Commit(n + utf8Value.Length);
    }

    /// <summary>Writes the block length into the slot reserved in front of the entries.</summary>
    /// <remarks>The slot is found again by offset: the buffer may have grown (and moved) since it was reserved.</remarks>
    public readonly void Complete() => BinaryPrimitives.WriteUInt32BigEndian(_output.WrittenSpanFrom(_lengthOffset), (uint)_written);

    private void Commit(int count)
    {
        _output.Advance(count);
        _written += count;
    }
}
