using System.Buffers;

namespace Fitten.Internal;

/// <summary>
/// A growable contiguous buffer on <see cref="ArrayPool{T}.Shared"/>. One owner at a time (a pooled call), reset
/// between uses, so a call's encoding allocates nothing once its buffer has grown to the size it needs.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 512;

    // Buffers above this come from the GC, sized to fit, not from the shared pool: the pool would round a 1 MiB
    // message up to a 2 MiB array and, after a burst, keep dozens of them per size. Such messages are rare, and
    // the GC takes their buffers back once the burst is over.
    private const int LargeSize = 1024 * 1024;

    private byte[] _buffer = [];
    private bool _pooled;
    private int _written;

    public int WrittenCount => _written;

    /// <summary>The memory the writer holds: its buffer's length, whatever is written in it.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public Span<byte> WrittenSpanFrom(int offset) => _buffer.AsSpan(offset, _written - offset);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Copies <paramref name="source"/> in.</summary>
    public void Write(ReadOnlySpan<byte> source)
    {
        source.CopyTo(GetSpan(source.Length));
        _written += source.Length;
    }

    /// <summary>Forgets the contents but keeps the buffer for the next use.</summary>
    public void Reset() => _written = 0;

    /// <summary>
    /// Forgets the contents and keeps the buffer for the next use only if it holds at most <paramref name="keepAtMost"/>
    /// bytes: an owner that lives in a pool keeps what typical messages need, not what the largest one did. Only
    /// for an owner whose buffer nobody else still reads (it is given back).
    /// </summary>
    public void Trim(int keepAtMost)
    {
        if (_buffer.Length > keepAtMost)
        {
            Release();
        }

        _written = 0;
    }

    /// <summary>Returns the buffer to the pool; the writer may be used again afterwards.</summary>
    public void Release()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _pooled = false;
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        int size = Math.Max(Math.Max(MinimumSize, _buffer.Length * 2), _written + sizeHint);
        bool pooled = size <= LargeSize;
        var next = pooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
        _pooled = pooled;
    }
}
