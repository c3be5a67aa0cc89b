using System.Buffers;

namespace Fitten.Codecs;

/// <summary>Encodes <see cref="Unit"/> as nothing.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class UnitMarshaller : Marshaller<Unit>
{
    /// <summary>The shared instance.</summary>
    public static UnitMarshaller Instance { get; } = new();

    /// <inheritdoc/>
    public override string CodecName => "unit";

    /// <inheritdoc/>
    public override void Serialize(Unit value, IBufferWriter<byte> output)
    {
    }

    /// <inheritdoc/>
    public override Unit Deserialize(ReadOnlySpan<byte> payload) => default;
}
