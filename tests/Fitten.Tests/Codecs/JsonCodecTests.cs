using System.Text.Json;
using System.Text.Json.Serialization;
using Fitten.Codecs;

namespace Fitten.Tests.Codecs;

public class JsonCodecTests
{
    [Fact]
    public void TypeMissingFromContext_JsonMetadataException_SaysWhatToAdd()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = OnlyIntContext.Default };

        var ex = Assert.Throws<JsonMetadataException>(() => JsonArgs.TypeInfo<IReadOnlyList<Guid?>>(options));

        Assert.Equal(typeof(IReadOnlyList<Guid?>), ex.Type);
        Assert.Contains("[JsonSerializable(typeof(IReadOnlyList<Guid?>))]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueMarshaller_RoundTrips_AndUnitIsEmpty()
    {
        var codec = new JsonCodec(new JsonSerializerOptions { TypeInfoResolver = OnlyIntContext.Default });
        var ints = codec.CreateValueMarshaller<int>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        ints.Serialize(42, buffer);
        var unitBuffer = new System.Buffers.ArrayBufferWriter<byte>();
        codec.CreateValueMarshaller<Unit>().Serialize(default, unitBuffer);

        Assert.Equal("42", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(42, ints.Deserialize(buffer.WrittenSpan));
        Assert.Equal(0, unitBuffer.WrittenCount);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("{}", true)]
    [InlineData("""{"a":[1,{"b":2}]}""", true)]
    [InlineData("[]", false)]
    [InlineData("{", false)]
    [InlineData("{} {}", false)]
    public void NoArguments_AcceptsAnEmptyObjectOrNothing(string payload, bool ok)
    {
        var codec = new JsonCodec(new JsonSerializerOptions { TypeInfoResolver = OnlyIntContext.Default });
        var bytes = new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(payload));

        void Read() => codec.ReadArguments(NoJsonArguments.Instance, bytes);

        if (ok)
        {
            Read();
        }
        else
        {
            Assert.ThrowsAny<JsonException>(Read);
        }
    }
}

public class JsonCodecSegmentTests
{
    [Fact]
    public void ReadArguments_BodyInSeveralSegments_ReadsLikeOne()
    {
        var codec = new JsonCodec(new JsonSerializerOptions { TypeInfoResolver = OnlyIntContext.Default });
        var first = new Segment("{\"a\":[1,"u8.ToArray());
        var last = first.Append("2]}"u8.ToArray());
        var twoSegments = new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        var truncated = new System.Buffers.ReadOnlySequence<byte>(first, 0, last, 1);

        codec.ReadArguments(NoJsonArguments.Instance, twoSegments);
        Assert.False(twoSegments.IsSingleSegment);
        Assert.ThrowsAny<JsonException>(() => codec.ReadArguments(NoJsonArguments.Instance, truncated));
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}

[JsonSerializable(typeof(int))]
internal sealed partial class OnlyIntContext : JsonSerializerContext;
