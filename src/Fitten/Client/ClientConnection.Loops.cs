using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Fitten.Protocol;

namespace Fitten.Client;

internal sealed partial class ClientConnection
{
    /// <summary>The largest request frame payload the server takes (its settings; the documented default until they arrive).</summary>
    public int PeerMaxFrameSize => Volatile.Read(ref _peerMaxFrameSize);

    private int PayloadLength(in Outbound item) => item.Type switch
    {
        FrameType.Request => item.Payload!.WrittenCount,
        FrameType.Cancel => 4,
        FrameType.Ping => 8,
        FrameType.Settings => (item.Flags & FrameFlags.Ack) != 0 ? 0 : SettingsFrame.ForClient(_limits).PayloadLength,
        _ => 0,
    };

    private int Encode(Span<byte> destination, in Outbound item)
    {
        int length = PayloadLength(item);
        new FrameHeader(length, item.Type, item.Flags, item.StreamId).Write(destination);
        var payload = destination.Slice(FrameHeader.Size, length);
        switch (item.Type)
        {
            case FrameType.Request:
                item.Payload!.WrittenSpan.CopyTo(payload);
                break;
            case FrameType.Cancel:
                BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)item.Value);
                break;
            case FrameType.Ping:
                BinaryPrimitives.WriteUInt64BigEndian(payload, item.Value);
                break;
            case FrameType.Settings when length > 0:
                SettingsFrame.ForClient(_limits).WritePayload(payload);
                break;
        }

        return FrameHeader.Size + length;
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                OnBytesReceived();
                try
                {
                    while (FrameReader.TryRead(ref buffer, _limits.MaxFrameSize, out var header, out var payload))
                    {
                        if (!HandleFrame(header, payload))
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            Close(error);
        }
    }

    /// <summary>Handles one frame from the server; false when the connection should close.</summary>
    private bool HandleFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.Response:
                return OnResponse(header, payload);
            case FrameType.Settings:
                OnSettings(header, payload);
                return true;
            case FrameType.Ping:
                if ((header.Flags & FrameFlags.Ack) == 0)
                {
                    if (payload.Length != 8)
                    {
                        throw new ProtocolViolationException(GoAwayCode.ProtocolError, "ping payload must be 8 bytes");
                    }

                    Span<byte> data = stackalloc byte[8];
                    payload.CopyTo(data);
                    PostAnswer(new Outbound(FrameType.Ping, FrameFlags.Ack, 0, null, BinaryPrimitives.ReadUInt64BigEndian(data)));
                }

                return true;
            case FrameType.GoAway:
                return OnGoAway(payload);
            default:
                throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"unexpected {header.Type} frame from server");
        }
    }

    private bool OnResponse(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        ClientCall? call;
        bool closeAfter;
        bool freed;
        lock (_lock)
        {
            freed = _pending.Remove(header.StreamId, out call) && _pending.Count == _peerMaxConcurrentCalls - 1;
            closeAfter = !_accepting && _pending.Count == 0;
        }

        if (freed)
        {
            // The connection was at the server's limit: calls waiting in the pool for a slot may go now.
            SlotFreed?.Invoke();
        }

        // No call: it was abandoned (deadline, cancel) after the server had already answered. Nothing to do.
        if (call is not null && call.TryClaim())
        {
            var response = call.Response;
            payload.CopyTo(response.GetSpan((int)payload.Length));
            response.Advance((int)payload.Length);
            StatusCode code;
            string? message;
            bool oversized;
            try
            {
                FramePayload.Split(response.WrittenSpan, out var metadata, out _);
                oversized = metadata.Length > _limits.MaxMetadataSize;
                (code, message) = oversized
                    ? (StatusCode.Internal, $"The response metadata of {metadata.Length} bytes exceeds this client's limit of {_limits.MaxMetadataSize} bytes.")
                    : ReadStatus(metadata);
            }
            catch (ProtocolViolationException ex)
            {
                // The caller reads response headers from these bytes after the call ends; bytes that failed to
                // parse here would fail there again, outside any status.
                response.Reset();
                call.Complete(StatusCode.Internal, "Malformed response from server: " + ex.Message, notProcessed: false);
                throw;
            }

            if (oversized)
            {
                // Over what this client advertised (a Fitten server answers INTERNAL itself rather than send it), yet a
                // well-formed frame: that call fails and the connection carries on, as on the server. Its headers are
                // not read, so one frame cannot make the caller build millions of them.
                response.Reset();
            }

            call.Complete(code, message, !oversized && (header.Flags & FrameFlags.Refused) != 0);
        }

        if (closeAfter)
        {
            Close(null);
            return false;
        }

        return true;
    }

    private (StatusCode Code, string? Message) ReadStatus(ReadOnlySpan<byte> metadata)
    {
        var code = StatusCode.OK;
        string? message = null;
        ulong? undefinedCode = null;
        var reader = new MetadataReader(metadata, _limits.MaxMetadataEntries);
        while (reader.TryRead(out var entry))
        {
            if (entry.Kind == MetadataKind.Status)
            {
                // gRPC's rule: a code outside the defined ones reads as UNKNOWN, so callers only ever see defined codes.
                (code, undefinedCode) = entry.Number <= (ulong)StatusCode.Unauthenticated ? ((StatusCode)entry.Number, (ulong?)null) : (StatusCode.Unknown, entry.Number);
            }
            else if (entry.Kind == MetadataKind.StatusMessage)
            {
                message = Encoding.UTF8.GetString(entry.Value);
            }
        }

        if (undefinedCode is { } number)
        {
            message = $"The server sent undefined status code {number}" + (message is null ? "." : $": {message}");
        }

        return (code, message);
    }

    private void OnSettings(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (SettingsFrame.Read(header, payload) is not { } settings)
        {
            return;
        }

        if (settings.MaxConcurrentCalls is { } maxConcurrentCalls)
        {
            bool raised;
            lock (_lock)
            {
                raised = maxConcurrentCalls > _peerMaxConcurrentCalls;
                _peerMaxConcurrentCalls = maxConcurrentCalls;
            }

            if (raised)
            {
                SlotFreed?.Invoke(); // more room: calls waiting for a slot may go
            }
        }

        if (settings.MaxFrameSize is { } maxFrameSize)
        {
            Volatile.Write(ref _peerMaxFrameSize, maxFrameSize);
        }

        PostAnswer(new Outbound(FrameType.Settings, FrameFlags.Ack, 0, null, 0));
    }

    /// <summary>
    /// Answers queued while the send path stayed busy above which a server's pings and settings go unanswered. A
    /// Fitten server sends no pings and one settings frame, so only a flood gets here; requests are never dropped.
    /// </summary>
    private const int MaxAnswersWhileBusy = 1024;

    private int _answersWhileBusy;

    /// <summary>
    /// Queues the answer to a server's ping or settings, unless more than <see cref="MaxAnswersWhileBusy"/> were queued
    /// since the send path was last idle (it goes idle only with the queue empty): then the server sends faster than
    /// it reads, and one answer per frame would grow the queue without bound (a server flooding pings it never read
    /// answers to grew a client's heap by 383 MiB in 5 s). The frame goes unanswered; once the server reads again and
    /// the queue drains, later ones are answered. Only the read loop calls this.
    /// </summary>
    private void PostAnswer(in Outbound answer)
    {
        if (Volatile.Read(ref _sending) == 0)
        {
            _answersWhileBusy = 0;
        }
        else if (++_answersWhileBusy > MaxAnswersWhileBusy)
        {
            return;
        }

        Post(answer);
    }

    private bool OnGoAway(in ReadOnlySequence<byte> payload)
    {
        if (payload.Length < 8)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, "goaway payload shorter than 8 bytes");
        }

        Span<byte> head = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(head);
        uint last = BinaryPrimitives.ReadUInt32BigEndian(head);
        var code = (GoAwayCode)BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        string reason = payload.Length > 8 ? Encoding.UTF8.GetString(payload.Slice(8, Math.Min(payload.Length - 8, 1024))) : code.ToString();

        List<ClientCall>? refused = null;
        bool closeNow;
        lock (_lock)
        {
            _accepting = false;
            _goAwayLastStreamId = Math.Min(_goAwayLastStreamId, last);
            foreach (var (id, call) in _pending)
            {
                if (id > _goAwayLastStreamId)
                {
                    (refused ??= []).Add(call);
                }
            }

            if (refused is not null)
            {
                foreach (var call in refused)
                {
                    _pending.Remove(call.StreamId);
                }
            }

            closeNow = _pending.Count == 0;
        }

        if (refused is not null)
        {
            foreach (var call in refused)
            {
                call.TryComplete(StatusCode.Unavailable, $"Server is going away ({reason}); the call was not processed.", notProcessed: true);
            }
        }

        if (closeNow)
        {
            Close(null);
            return false;
        }

        // Going away: calls waiting for one of its slots go to another connection.
        SlotFreed?.Invoke();
        return true;
    }
}
