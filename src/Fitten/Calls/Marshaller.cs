using System.Buffers;

namespace Fitten;

/// <summary>
/// Turns a message into bytes and back. Codecs (MemoryPack, System.Text.Json, raw bytes) implement this; the
/// generated clients and dispatchers pick one per method.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class Marshaller<T>
{
    /// <summary>The codec name carried in metadata when it is not the method's default (e.g. "memorypack", "json").</summary>
    public abstract string CodecName { get; }

    /// <summary>Writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    public abstract void Serialize(T value, IBufferWriter<byte> output);

    /// <summary>Reads a message. Throws any exception on bad input; the caller maps it to INVALID_ARGUMENT.</summary>
    public abstract T Deserialize(ReadOnlySpan<byte> payload);
}
