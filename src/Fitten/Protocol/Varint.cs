namespace Fitten.Protocol;

/// <summary>Unsigned LEB128 integers, as protobuf writes them: 7 bits per byte, low bits first.</summary>
internal static class Varint
{
    public const int MaxLength64 = 10;

    public static int Write(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static int SizeOf(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Reads a varint; returns the bytes consumed, or 0 when it is truncated or longer than 64 bits.</summary>
    public static int TryRead(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < source.Length && i < MaxLength64; i++)
        {
            byte b = source[i];
            if (i == MaxLength64 - 1 && b > 1)
            {
                // The tenth byte holds bit 63 only; anything more is a value past 64 bits, not a wrapped one.
                break;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return i + 1;
            }

            shift += 7;
        }

        value = 0;
        return 0;
    }
}
