using System.Buffers;

namespace Fitten;

/// <summary>Raw bytes as the message: no encoding at all. Used by benchmarks and by callers that bring their own format.</summary>
public sealed class BytesMarshaller : Marshaller<byte[]>
{
    /// <summary>The shared instance.</summary>
    public static BytesMarshaller Instance { get; } = new();

    /// <inheritdoc/>
    public override string CodecName => "bytes";

    /// <inheritdoc/>
    public override void Serialize(byte[] value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        output.Write(value);
    }

    /// <inheritdoc/>
    public override byte[] Deserialize(ReadOnlySpan<byte> payload) => payload.ToArray();
}
