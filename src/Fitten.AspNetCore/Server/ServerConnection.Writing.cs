using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    // Upper bound of a status message on the wire; longer ones are cut (they are for people, not programs).
    private const int MaxStatusMessageBytes = 1024;

    private readonly WriteWorkItem _writeWorkItem;
    private int _sending;
    private bool _outputGone;

    /// <summary>
    /// Writes what is queued, on the calling thread, unless another thread is already writing (then that thread
    /// writes this frame too): a handler that finishes on an idle connection sends its own response with no hop
    /// to a writer thread, and responses that finish together are coalesced into one flush by whoever writes.
    /// </summary>
    private ValueTask SendQueuedAsync()
        => Interlocked.CompareExchange(ref _sending, 1, 0) == 0 ? WriteWhileQueuedAsync() : default;

    /// <summary>Queues a frame and gets it written (<see cref="WriteQueued"/>).</summary>
    private void Post(in Outbound item)
    {
        Enqueue(item);
        WriteQueued();
    }

    /// <summary>
    /// Gets what is queued written, unless another thread holds the write path (then that thread writes it): on this
    /// thread when no other call is running on the connection (a serial caller's response leaves with no hop), else
    /// from a pool thread that writes the batch the other calls are about to add to (measured: writing each response
    /// inline under load cut calls/s by more than half).
    /// </summary>
    private void WriteQueued()
    {
        if (Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
        {
            return;
        }

        if (_active.Count == 0)
        {
            _ = WriteWhileQueuedAsync();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(_writeWorkItem, preferLocal: false);
        }
    }

    /// <summary>Writes the queue from a pool thread while holding the write path; one per connection.</summary>
    private sealed class WriteWorkItem(ServerConnection connection) : IThreadPoolWorkItem
    {
        public void Execute() => _ = connection.WriteWhileQueuedAsync();
    }

    /// <summary>Runs while holding the write path; releases it when the queue is empty (re-checking for a race).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteWhileQueuedAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (true)
            {
                long written = 0;
                while (reader.TryRead(out var item))
                {
                    written += QueueCost(item);
                    Write(item);
                }

                if (written > 0)
                {
                    var flush = await _output.FlushAsync().ConfigureAwait(false);
                    OnFramesWritten(written);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        OnOutputGone();
                        return;
                    }
                }

                // A full fence, not a volatile write: the release must be visible before the queue is peeked below,
                // or a poster that queued meanwhile and saw the path taken would be missed by both (lost wake-up).
                Interlocked.Exchange(ref _sending, 0);

                // A frame queued after the last TryRead but before the release would otherwise wait for the next post.
                if (!reader.TryPeek(out _) || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException or OperationCanceledException)
        {
            OnOutputGone();
        }
    }

    /// <summary>
    /// The transport cannot be written any more. The write path stays taken for good; queued frames give back
    /// their pooled calls, and later ones are refused at the queue.
    /// </summary>
    private void OnOutputGone()
    {
        Volatile.Write(ref _outputGone, true);
        _outbound.Writer.TryComplete();
        while (_outbound.Reader.TryRead(out var item))
        {
            item.Call?.Return();
        }

        // Nothing more will be written: release a read loop waiting for room.
        Interlocked.Exchange(ref _roomAvailable, null)?.TrySetResult();
    }

    /// <summary>
    /// At the end of the connection: write what is still queued (a goaway, last responses), bounded in time;
    /// a client that stopped reading would otherwise hold the last flush forever, so then the transport is cut.
    /// </summary>
    private async Task CloseOutputAsync()
    {
        _outbound.Writer.TryComplete();
        long deadline = Environment.TickCount64 + (long)OutputCloseTimeout.TotalMilliseconds;
        while (Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
        {
            if (Volatile.Read(ref _outputGone))
            {
                return;
            }

            if (Environment.TickCount64 > deadline)
            {
                _context.Abort(new ConnectionAbortedException("The client did not read the connection's last frames."));
                return;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        await WriteWhileQueuedAsync().ConfigureAwait(false);
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
                var local = SettingsFrame.ForServer(_limits);
                var settings = _output.GetSpan(FrameHeader.Size + local.PayloadLength);
                new FrameHeader(local.PayloadLength, FrameType.Settings, FrameFlags.None, 0).Write(settings);
                local.WritePayload(settings[FrameHeader.Size..]);
                _output.Advance(FrameHeader.Size + local.PayloadLength);
                break;
        }
    }

    private void WriteResponse(ServerCall call)
    {
        var headers = call.ResponseMetadata;
        int headersSize = HeadersSize(headers);
        // The client's advertised limit, less room for a status entry and its message.
        int room = Volatile.Read(ref _peerMaxMetadataSize) - (2 + Varint.MaxLength64 + 2 + MaxStatusMessageBytes);
        if (headersSize > 0 && headersSize > room)
        {
            WriteStatusOnly(call.StreamId, FrameFlags.EndStream, StatusCode.Internal, $"The response metadata of {call.Method} ({headersSize} bytes) exceeds what the client takes ({room} bytes).");
            return;
        }

        if (call.StatusCode != StatusCode.OK)
        {
            // A failure always reaches the client: without its response metadata if the frame would be too big for it.
            if (FramePayload.MetadataLengthSize + StatusOnlySize(call.StatusMessage) + headersSize > Volatile.Read(ref _peerMaxFrameSize))
            {
                (headers, headersSize) = (null, 0);
            }

            WriteStatusOnly(call.StreamId, FrameFlags.EndStream, call.StatusCode, call.StatusMessage, headers, headersSize);
            return;
        }

        var body = call.ResponseBody.WrittenSpan;
        // An OK response's metadata block holds only the response headers, usually none: absent status means OK
        // (docs/protocol.md), so a plain successful response costs 4 bytes over its message.
        int payloadLength = FramePayload.MetadataLengthSize + headersSize + body.Length;
        if (payloadLength > Volatile.Read(ref _peerMaxFrameSize))
        {
            WriteStatusOnly(call.StreamId, FrameFlags.EndStream, StatusCode.ResourceExhausted, $"Response of {body.Length} bytes exceeds the client's maximum frame size.");
            return;
        }

        int head = FrameHeader.Size + FramePayload.MetadataLengthSize + headersSize;
        var span = _output.GetSpan(head);
        new FrameHeader(payloadLength, FrameType.Response, FrameFlags.EndStream, call.StreamId).Write(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[FrameHeader.Size..], (uint)headersSize);
        WriteHeaders(span[(FrameHeader.Size + FramePayload.MetadataLengthSize)..], headers);
        _output.Advance(head);
        _output.Write(body);
    }

    private void WriteStatusOnly(uint streamId, FrameFlags flags, StatusCode status, string? message, Metadata? headers = null, int headersSize = 0)
    {
        message ??= string.Empty;
        int messageBytes = Math.Min(Encoding.UTF8.GetByteCount(message), MaxStatusMessageBytes);
        int metadataLength = 1 + Varint.SizeOf((ulong)status) + 1 + Varint.SizeOf((ulong)messageBytes) + messageBytes + headersSize;
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
        at += WriteHeaders(span[at..], headers);
        _output.Advance(at);
    }

    /// <summary>The encoded size of a status entry and a status message entry (the message cut as it will be).</summary>
    private static int StatusOnlySize(string? message)
    {
        int messageBytes = Math.Min(Encoding.UTF8.GetByteCount(message ?? string.Empty), MaxStatusMessageBytes);
        return 1 + Varint.MaxLength64 + 1 + Varint.SizeOf((ulong)messageBytes) + messageBytes;
    }

    /// <summary>The encoded size of response headers: one header entry (kind 0x09) each.</summary>
    private static int HeadersSize(Metadata? headers)
    {
        if (headers is null)
        {
            return 0;
        }

        int size = 0;
        foreach (var entry in headers)
        {
            int key = Encoding.UTF8.GetByteCount(entry.Key);
            int value = Encoding.UTF8.GetByteCount(entry.Value);
            size += 1 + Varint.SizeOf((ulong)key) + key + Varint.SizeOf((ulong)value) + value;
        }

        return size;
    }

    private static int WriteHeaders(Span<byte> destination, Metadata? headers)
    {
        if (headers is null)
        {
            return 0;
        }

        int at = 0;
        foreach (var entry in headers)
        {
            destination[at++] = (byte)MetadataKind.Header;
            at += Varint.Write(destination[at..], (ulong)Encoding.UTF8.GetByteCount(entry.Key));
            at += Encoding.UTF8.GetBytes(entry.Key, destination[at..]);
            at += Varint.Write(destination[at..], (ulong)Encoding.UTF8.GetByteCount(entry.Value));
            at += Encoding.UTF8.GetBytes(entry.Value, destination[at..]);
        }

        return at;
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
}
