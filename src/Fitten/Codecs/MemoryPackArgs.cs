using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace Fitten.Codecs;

/// <summary>
/// Encodes a method's parameters for the MemoryPack codec: each parameter's MemoryPack encoding, one after another
/// in declaration order. Generated marshallers call these; MemoryPack reports how many bytes each value took, so
/// no length prefixes are needed.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class MemoryPackArgs
{
    /// <summary>The codec name carried in metadata for MemoryPack-encoded messages.</summary>
    public const string CodecName = "memorypack";

    /// <summary>Appends one parameter.</summary>
    public static void Write<T>(IBufferWriter<byte> output, in T value) => MemoryPackSerializer.Serialize(output, value);

    /// <summary>Reads one parameter at <paramref name="offset"/> and moves the offset past it.</summary>
    /// <exception cref="InvalidDataException">The payload ends before the parameter does.</exception>
    public static T Read<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (offset > payload.Length)
        {
            throw InputErrors.Mark(new InvalidDataException("The request ends before all parameters were read."));
        }

        T? value = default;
        offset += MemoryPackSerializer.Deserialize(payload[offset..], ref value);
        return value!;
    }

    /// <summary>Checks that every byte was consumed: extra bytes mean the caller's contract does not match.</summary>
    /// <exception cref="InvalidDataException">Bytes are left over.</exception>
    public static void End(ReadOnlySpan<byte> payload, int offset)
    {
        if (offset != payload.Length)
        {
            throw InputErrors.Mark(new InvalidDataException($"{payload.Length - offset} bytes left after the last parameter: the caller's contract does not match this one."));
        }
    }
}
