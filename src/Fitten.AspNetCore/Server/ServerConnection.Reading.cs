using System.Buffers;
using System.Buffers.Binary;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    /// <summary>Reads and checks the 8-byte preface. False when the connection must close.</summary>
    private async Task<bool> ReadPrefaceAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                // Aborted (timeout) while waiting for the preface: the abort has queued its goaway.
                return false;
            }

            if (buffer.Length >= FittenProtocol.PrefaceLength)
            {
                Span<byte> preface = stackalloc byte[FittenProtocol.PrefaceLength];
                buffer.Slice(0, FittenProtocol.PrefaceLength).CopyTo(preface);
                _input.AdvanceTo(buffer.GetPosition(FittenProtocol.PrefaceLength));
                if (!preface[..7].SequenceEqual(FittenProtocol.Magic))
                {
                    // Not a Fitten peer: it would not understand a goaway, so just close.
                    Log.BadPreface(_logger, ConnectionId, Convert.ToHexString(preface));
                    return false;
                }

                if (preface[7] != FittenProtocol.Version)
                {
                    Abort(GoAwayCode.UnsupportedVersion, $"protocol version {preface[7]} is not supported; this server speaks version {FittenProtocol.Version}");
                    return false;
                }

                Volatile.Write(ref _partialSinceTicks, buffer.Length > FittenProtocol.PrefaceLength ? Environment.TickCount64 : 0);
                return true;
            }

            if (!FittenProtocol.CouldBePreface(buffer.FirstSpan.Length >= buffer.Length ? buffer.FirstSpan : buffer.ToArray()))
            {
                Log.BadPreface(_logger, ConnectionId, Convert.ToHexString(buffer.ToArray()));
                return false;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>Reads frames until the connection ends. True when the client closed its sending side cleanly.</summary>
    private async Task<bool> ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    return false;
                }

                // Frame by frame against the bound: one read can hold a thousand pings or several large requests.
                bool full = false;
                try
                {
                    while (!full && FrameReader.TryRead(ref buffer, _limits.MaxFrameSize, out var header, out var payload))
                    {
                        HandleFrame(header, payload);
                        full = OverBufferBound;
                    }
                }
                finally
                {
                    // Stopped early: the frames left are not examined, so the next read returns them without new input.
                    if (full)
                    {
                        _input.AdvanceTo(buffer.Start);
                    }
                    else
                    {
                        _input.AdvanceTo(buffer.Start, buffer.End);
                    }
                }

                long now = Environment.TickCount64;
                Volatile.Write(ref _lastFrameTicks, now);
                // Bytes left over are the start of a frame: the frame read timeout runs from its first byte until it completes.
                if (buffer.IsEmpty)
                {
                    Volatile.Write(ref _partialSinceTicks, 0);
                }
                else if (Volatile.Read(ref _partialSinceTicks) == 0)
                {
                    Volatile.Write(ref _partialSinceTicks, now);
                }

                // Answers this batch produced on the read loop (refusals, pongs, acks) go out together. Not awaited:
                // if the flush has to wait for the client, reading goes on (backpressure is the watermark's job).
                _ = SendQueuedAsync();
                if (result.IsCompleted && !full)
                {
                    return true;
                }

                if (full && !await WaitForRoomAsync().ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
        catch (ProtocolViolationException ex)
        {
            Abort(ex.Code, ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // The peer went away mid-read; calls in flight are cancelled by the caller.
            return false;
        }
    }

    private void HandleFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case FrameType.Request:
                OnRequest(header, payload);
                break;
            case FrameType.Cancel:
                OnCancel(header, payload);
                break;
            case FrameType.Ping:
                if (header.StreamId != 0 || payload.Length != 8)
                {
                    throw new ProtocolViolationException(GoAwayCode.ProtocolError, "ping must be 8 bytes on stream 0");
                }

                if ((header.Flags & FrameFlags.Ack) == 0)
                {
                    Span<byte> data = stackalloc byte[8];
                    payload.CopyTo(data);
                    Enqueue(new Outbound(FrameType.Ping, FrameFlags.Ack, 0, null) { Value = BinaryPrimitives.ReadUInt64BigEndian(data) });
                }

                break;
            case FrameType.Settings:
                // The client's limits bound what we send; responses are checked against its max frame size there.
                if (SettingsFrame.Read(header, payload) is { } settings)
                {
                    if (settings.MaxFrameSize is { } maxFrameSize)
                    {
                        Volatile.Write(ref _peerMaxFrameSize, maxFrameSize);
                    }

                    if (settings.MaxMetadataSize is { } maxMetadataSize)
                    {
                        Volatile.Write(ref _peerMaxMetadataSize, maxMetadataSize);
                    }

                    Enqueue(new Outbound(FrameType.Settings, FrameFlags.Ack, 0, null));
                }

                break;
            case FrameType.GoAway:
                // The client is leaving: it starts nothing new; finish what is running.
                BeginDrain("client sent goaway");
                break;
            default:
                throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"frame type 0x{(byte)header.Type:X2} is not accepted by protocol version {FittenProtocol.Version}");
        }
    }

    private void OnRequest(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        uint id = header.StreamId;
        var call = ServerCall.Rent(this, id);
        var copy = call.RequestPayload;
        payload.CopyTo(copy.GetSpan((int)payload.Length));
        copy.Advance((int)payload.Length);
        StatusCode status;
        string? error;
        try
        {
            status = call.Parse(_methods, _limits, out error);
        }
        catch (ProtocolViolationException)
        {
            call.Return();
            throw;
        }

        // One lock for the id check, the admission decision and the table: whoever reads _lastStreamId under it
        // (goaway on drain or idle) knows every stream up to it is either running or already answered.
        (StatusCode Code, string Message)? refusal = null;
        bool accepted = false;
        lock (_lock)
        {
            if (id == 0 || id <= _lastStreamId)
            {
                call.Return();
                throw new ProtocolViolationException(GoAwayCode.ProtocolError, $"stream id {id} is not above the last one ({_lastStreamId})");
            }

            _lastStreamId = id;
            if (_draining && id > _goAwayStreamId)
            {
                refusal = (StatusCode.Unavailable, "Server is going away; the call was not processed.");
            }
            else if (status == StatusCode.OK && _active.Count >= _limits.MaxConcurrentCalls)
            {
                refusal = (StatusCode.ResourceExhausted, $"More than {_limits.MaxConcurrentCalls} concurrent calls on this connection; the call was not processed.");
            }
            else if (status == StatusCode.OK)
            {
                _active.Add(id, call);
                accepted = true;
            }
        }

        if (accepted)
        {
            OnCallStarted(call);
            ThreadPool.UnsafeQueueUserWorkItem(call, preferLocal: false);
            return;
        }

        call.Return();
        if (refusal is { } refused)
        {
            // REFUSED: the server never ran it, so the client may send it again on another connection or instance.
            Enqueue(Outbound.Refusal(id, refused.Code, refused.Message));
        }
        else
        {
            // Not REFUSED: the request itself is at fault, so sending it again anywhere would fail the same way.
            Enqueue(Outbound.Refusal(id, status, error!) with { Flags = FrameFlags.EndStream });
        }
    }

    private void OnCancel(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != 4)
        {
            throw new ProtocolViolationException(GoAwayCode.ProtocolError, "cancel payload must be 4 bytes");
        }

        // The payload says why the caller gave up; the handler's onward calls end with the same status, so a
        // deadline that passed upstream stays DEADLINE_EXCEEDED downstream. Any other code reads as CANCELLED.
        Span<byte> code = stackalloc byte[4];
        payload.CopyTo(code);
        var reason = BinaryPrimitives.ReadUInt32BigEndian(code) == (uint)StatusCode.DeadlineExceeded ? StatusCode.DeadlineExceeded : StatusCode.Cancelled;

        // Under the lock: a call still in the table has not been returned to the pool, so this cannot reach a
        // later call that reuses the object. The client has forgotten the stream: no response is written.
        lock (_lock)
        {
            if (_active.TryGetValue(header.StreamId, out var call))
            {
                call.CancelByClient(reason);
            }
        }
    }
}
