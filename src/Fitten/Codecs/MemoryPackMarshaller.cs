using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace Fitten.Codecs;

/// <summary>
/// The default binary codec: MemoryPack, whose formatters are source-generated for <c>[MemoryPackable]</c> types,
/// so encoding needs no reflection and works under Native AOT.
/// </summary>
/// <typeparam name="T">The message type: a primitive, string, or a <c>[MemoryPackable]</c> type.</typeparam>
public sealed class MemoryPackMarshaller<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T> : Marshaller<T>
{
    /// <summary>The shared instance.</summary>
    public static MemoryPackMarshaller<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override string CodecName => MemoryPackArgs.CodecName;

    /// <inheritdoc/>
    public override void Serialize(T value, IBufferWriter<byte> output) => MemoryPackSerializer.Serialize(output, value);

    /// <inheritdoc/>
    public override T Deserialize(ReadOnlySpan<byte> payload) => MemoryPackSerializer.Deserialize<T>(payload)!;
}
