using System.Buffers.Binary;
using System.Text;
using Fitten.Internal;
using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

/// <summary>MetadataWriter and MetadataReader against each other and against hand-made bad blocks.</summary>
public class MetadataTests
{
    [Fact]
    public void WriterThenReader_RoundTripsEveryKind()
    {
        var buffer = new PooledBufferWriter();
        var writer = new MetadataWriter(buffer);
        writer.WriteString(MetadataKind.Method, "shop.orders/Get"u8);
        writer.WriteNumber(MetadataKind.Timeout, 250_000);
        writer.WriteString(MetadataKind.Caller, "gateway");
        writer.WritePair(MetadataKind.Tag, "lane", "canary");
        writer.WritePair(MetadataKind.Header, "tenant", "ünïcode");
        writer.Complete();

        var block = buffer.WrittenSpan;
        Assert.Equal(block.Length - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(block));
        var reader = new MetadataReader(block[4..], 64);
        var seen = new List<string>();
        while (reader.TryRead(out var entry))
        {
            seen.Add(entry.Kind switch
            {
                MetadataKind.Timeout => $"{entry.Kind}={entry.Number}",
                MetadataKind.Tag or MetadataKind.Header => $"{entry.Kind}:{Encoding.UTF8.GetString(entry.Key)}={Encoding.UTF8.GetString(entry.Value)}",
                _ => $"{entry.Kind}={Encoding.UTF8.GetString(entry.Value)}",
            });
        }

        Assert.Equal(["Method=shop.orders/Get", "Timeout=250000", "Caller=gateway", "Tag:lane=canary", "Header:tenant=ünïcode"], seen);
    }

    [Fact]
    public void Reader_ValueOffset_PointsAtTheValueInTheBlock()
    {
        byte[] block = [0x07, 3, (byte)'a', (byte)'b', (byte)'c'];
        var reader = new MetadataReader(block, 8);

        Assert.True(reader.TryRead(out var entry));
        Assert.Equal(2, entry.ValueOffset);
        Assert.Equal("abc", Encoding.ASCII.GetString(block, entry.ValueOffset, 3));
    }

    [Fact]
    public void Reader_ExtensionKind_IsSkippable()
    {
        byte[] block = [0x9A, 2, (byte)'h', (byte)'i', 0x07, 1, (byte)'x'];
        var reader = new MetadataReader(block, 8);

        Assert.True(reader.TryRead(out var extension));
        Assert.Equal((MetadataKind)0x9A, extension.Kind);
        Assert.True(reader.TryRead(out var caller));
        Assert.Equal(MetadataKind.Caller, caller.Kind);
        Assert.False(reader.TryRead(out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x20, 0 })]                 // unknown core kind
    [InlineData(new byte[] { 0x02, 0x80 })]              // truncated varint
    [InlineData(new byte[] { 0x01, 5, (byte)'a' })]      // string overruns the block
    [InlineData(new byte[] { 0x08, 1, (byte)'k', 9 })]   // pair value overruns the block
    public void Reader_MalformedBlock_ThrowsProtocolError(byte[] block)
    {
        var ex = Assert.Throws<ProtocolViolationException>(() =>
        {
            var reader = new MetadataReader(block, 8);
            while (reader.TryRead(out _))
            {
            }
        });

        Assert.Equal(GoAwayCode.ProtocolError, ex.Code);
    }

    [Fact]
    public void Reader_MoreEntriesThanAllowed_StopsAndFlags()
    {
        var block = Enumerable.Repeat(new byte[] { 0x07, 0 }, 10).SelectMany(b => b).ToArray();
        var reader = new MetadataReader(block, 8);
        int count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }

        Assert.Equal(8, count);
        Assert.True(reader.TooManyEntries);
    }

    [Fact]
    public void FramePayload_MetadataLengthPastPayload_ThrowsProtocolError()
    {
        byte[] payload = [0, 0, 0, 9, 1, 2];

        var ex = Assert.Throws<ProtocolViolationException>(() => FramePayload.Split(payload, out _, out _));

        Assert.Equal(GoAwayCode.ProtocolError, ex.Code);
    }
}
