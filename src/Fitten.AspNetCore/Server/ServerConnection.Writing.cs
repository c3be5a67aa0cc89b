using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    // Upper bound of a status message on the wire; longer ones are cut (they are for people, not programs).
    private const int MaxStatusMessageBytes = 1024;

    /// <summary>
    /// The only writer of the transport: drains the queue into the pipe and flushes once per batch, so calls that
    /// complete together leave in one send.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                long written = 0;
                while (reader.TryRead(out var item))
                {
                    written += QueueCost(item);
                    Write(item);
                }

                OnFramesWritten(written);

                var flush = await _output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // The transport is gone; what is left in the queue is dropped below.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            while (reader.TryRead(out var item))
            {
                item.Call?.Return();
            }

            // Nothing more will be written: release a read loop waiting for the queue to drain.
            Interlocked.Exchange(ref _writerCaughtUp, null)?.TrySetResult();
        }
    }

    private void Write(in Outbound item)
    {
        switch (item.Type)
        {
            case FrameType.Response when item.Call is { } call:
                if (!call.ResponseSuppressed)
                {
                    WriteResponse(call);
                }

                call.Return();
                break;
            case FrameType.Response:
                WriteStatusOnly(item.StreamId, item.Flags, item.Status, item.Message);
                break;
            case FrameType.GoAway:
                WriteGoAway(item.StreamId, (GoAwayCode)item.Value, item.Message ?? string.Empty);
                break;
            case FrameType.Ping:
                var ping = _output.GetSpan(FrameHeader.Size + 8);
                new FrameHeader(8, FrameType.Ping, item.Flags, 0).Write(ping);
                BinaryPrimitives.WriteUInt64BigEndian(ping[FrameHeader.Size..], item.Value);
                _output.Advance(FrameHeader.Size + 8);
                break;
            case FrameType.Settings when (item.Flags & FrameFlags.Ack) != 0:
                new FrameHeader(0, FrameType.Settings, FrameFlags.Ack, 0).Write(_output.GetSpan(FrameHeader.Size));
                _output.Advance(FrameHeader.Size);
                break;
            case FrameType.Settings:
                var settings = _output.GetSpan(FrameHeader.Size + 18);
                new FrameHeader(18, FrameType.Settings, FrameFlags.None, 0).Write(settings);
                WriteSetting(settings[FrameHeader.Size..], SettingId.MaxFrameSize, (uint)_limits.MaxFrameSize);
                WriteSetting(settings[(FrameHeader.Size + 6)..], SettingId.MaxConcurrentCalls, (uint)_limits.MaxConcurrentCalls);
                WriteSetting(settings[(FrameHeader.Size + 12)..], SettingId.MaxMetadataSize, (uint)_limits.MaxMetadataSize);
                _output.Advance(FrameHeader.Size + 18);
                break;
        }
    }

    private static void WriteSetting(Span<byte> destination, SettingId id, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)id);
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], value);
    }

    private void WriteResponse(ServerCall call)
    {
        if (call.StatusCode != StatusCode.OK)
        {
            WriteStatusOnly(call.StreamId, FrameFlags.EndStream, call.StatusCode, call.StatusMessage);
            return;
        }

        var body = call.ResponseBody.WrittenSpan;
        // An OK response's metadata block is empty: absent status means OK (docs/protocol.md).
        int payloadLength = FramePayload.MetadataLengthSize + body.Length;
        if (payloadLength > Volatile.Read(ref _peerMaxFrameSize))
        {
            WriteStatusOnly(call.StreamId, FrameFlags.EndStream, StatusCode.ResourceExhausted, $"Response of {body.Length} bytes exceeds the client's maximum frame size.");
            return;
        }

        var span = _output.GetSpan(FrameHeader.Size + FramePayload.MetadataLengthSize);
        new FrameHeader(payloadLength, FrameType.Response, FrameFlags.EndStream, call.StreamId).Write(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], 0);
        _output.Advance(FrameHeader.Size + FramePayload.MetadataLengthSize);
        _output.Write(body);
    }

    private void WriteStatusOnly(uint streamId, FrameFlags flags, StatusCode status, string? message)
    {
        message ??= string.Empty;
        int messageBytes = Math.Min(Encoding.UTF8.GetByteCount(message), MaxStatusMessageBytes);
        int metadataLength = 1 + Varint.SizeOf((ulong)status) + 1 + Varint.SizeOf((ulong)messageBytes) + messageBytes;
        int payloadLength = FramePayload.MetadataLengthSize + metadataLength;
        var span = _output.GetSpan(FrameHeader.Size + payloadLength);
        new FrameHeader(payloadLength, FrameType.Response, flags, streamId).Write(span);
        int at = FrameHeader.Size;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)metadataLength);
        at += FramePayload.MetadataLengthSize;
        span[at++] = (byte)MetadataKind.Status;
        at += Varint.Write(span[at..], (ulong)status);
        span[at++] = (byte)MetadataKind.StatusMessage;
        at += Varint.Write(span[at..], (ulong)messageBytes);
        at += Utf8Prefix(message, span.Slice(at, messageBytes));
        _output.Advance(at);
    }

    private void WriteGoAway(uint lastStreamId, GoAwayCode code, string message)
    {
        int messageBytes = Math.Min(Encoding.UTF8.GetByteCount(message), MaxStatusMessageBytes);
        var span = _output.GetSpan(FrameHeader.Size + 8 + messageBytes);
        new FrameHeader(8 + messageBytes, FrameType.GoAway, FrameFlags.None, 0).Write(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(span[(FrameHeader.Size + 4)..], (uint)code);
        Utf8Prefix(message, span.Slice(FrameHeader.Size + 8, messageBytes));
        _output.Advance(FrameHeader.Size + 8 + messageBytes);
    }

    /// <summary>Encodes as much of <paramref name="text"/> as fits, never splitting a character; pads with spaces.</summary>
    private static int Utf8Prefix(string text, Span<byte> destination)
    {
        Encoding.UTF8.GetEncoder().Convert(text, destination, flush: true, out _, out int written, out _);
        destination[written..].Fill((byte)' ');
        return destination.Length;
    }

    /// <summary>Before the writer loop runs (bad version, early abort): write the goaway directly and flush.</summary>
    private async Task WriteGoAwayNowAsync()
    {
        if (_abort is { } abort)
        {
            WriteGoAway(0, abort.Code, abort.Message);
            await _output.FlushAsync().ConfigureAwait(false);
        }
    }
}
