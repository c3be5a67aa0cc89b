using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A hand-driven Fitten connection over a real socket: writes exactly the bytes a test wants (good or bad) and
/// reads frames back, so tests can check the server's answer to each kind of misbehaviour.
/// </summary>
internal sealed class RawFittenConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawFittenConnection(Socket socket) => _socket = socket;

    public static async Task<RawFittenConnection> ConnectAsync(IPEndPoint endPoint, bool sendPreface = true)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        var connection = new RawFittenConnection(socket);
        if (sendPreface)
        {
            var preface = new byte[FittenProtocol.PrefaceLength];
            FittenProtocol.WritePreface(preface);
            await connection.SendAsync(preface);
        }

        return connection;
    }

    /// <summary>
    /// Connects with a receive buffer of <paramref name="receiveBufferSize"/> bytes (the kernel may round it up), for
    /// a client that never reads: the server's answers then fill that small window instead of a big default one.
    /// </summary>
    public static async Task<RawFittenConnection> ConnectWithReceiveBufferAsync(IPEndPoint endPoint, int receiveBufferSize)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBufferSize };
        await socket.ConnectAsync(endPoint);
        var connection = new RawFittenConnection(socket);
        var preface = new byte[FittenProtocol.PrefaceLength];
        FittenProtocol.WritePreface(preface);
        await connection.SendAsync(preface);
        return connection;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Half-closes the connection: the server sees the end of its input but can still answer.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Bytes received but not yet returned as a whole frame (a server that closed mid-frame leaves some).</summary>
    public int BufferedBytes => _received.Count;

    public Task SendFrameAsync(FrameType type, FrameFlags flags, uint streamId, ReadOnlySpan<byte> payload)
        => SendAsync(Frame(type, flags, streamId, payload));

    /// <summary>Sends a request frame for <paramref name="method"/> with <paramref name="message"/>.</summary>
    public Task SendRequestAsync(uint streamId, string method, ReadOnlySpan<byte> message, Action<List<byte>>? extraMetadata = null)
        => SendAsync(RequestFrame(streamId, method, message, extraMetadata));

    /// <summary>Encodes a whole request frame (header included).</summary>
    public static byte[] RequestFrame(uint streamId, string method, ReadOnlySpan<byte> message, Action<List<byte>>? extraMetadata = null)
    {
        var metadata = new List<byte> { 0x01 };
        AppendString(metadata, method);
        extraMetadata?.Invoke(metadata);
        return RequestFrameWithMetadata(streamId, metadata.ToArray(), message);
    }

    /// <summary>Encodes a request frame around a hand-made metadata block (which may be malformed on purpose).</summary>
    public static byte[] RequestFrameWithMetadata(uint streamId, ReadOnlySpan<byte> metadataBlock, ReadOnlySpan<byte> message)
    {
        var payload = new byte[4 + metadataBlock.Length + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)metadataBlock.Length);
        metadataBlock.CopyTo(payload.AsSpan(4));
        message.CopyTo(payload.AsSpan(4 + metadataBlock.Length));
        return Frame(FrameType.Request, FrameFlags.EndStream, streamId, payload);
    }

    public static byte[] Frame(FrameType type, FrameFlags flags, uint streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(payload.Length, type, flags, streamId).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    /// <summary>A SETTINGS payload: 6-byte entries, id then value.</summary>
    public static byte[] SettingsPayload(params (SettingId Id, uint Value)[] entries)
    {
        var payload = new byte[6 * entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6 * i), (ushort)entries[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan((6 * i) + 2), entries[i].Value);
        }

        return payload;
    }

    public static void AppendString(List<byte> destination, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendVarint(destination, (ulong)bytes.Length);
        destination.AddRange(bytes);
    }

    public static void AppendVarint(List<byte> destination, ulong value)
    {
        while (value >= 0x80)
        {
            destination.Add((byte)(value | 0x80));
            value >>= 7;
        }

        destination.Add((byte)value);
    }

    /// <summary>Reads the next frame, or null when the server closed the connection; throws on timeout.</summary>
    public async Task<ReceivedFrame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var chunk = new byte[64 * 1024];
        while (true)
        {
            if (_received.Count >= FrameHeader.Size)
            {
                var header = FrameHeader.Read(_received.GetRange(0, FrameHeader.Size).ToArray());
                if (_received.Count >= FrameHeader.Size + header.Length)
                {
                    var payload = _received.GetRange(FrameHeader.Size, header.Length).ToArray();
                    _received.RemoveRange(0, FrameHeader.Size + header.Length);
                    return new ReceivedFrame(header, payload);
                }
            }

            int n;
            try
            {
                n = await _socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            _received.AddRange(chunk.AsSpan(0, n));
        }
    }

    /// <summary>Reads frames until one of <paramref name="type"/> arrives (settings and pings skipped), or null on close.</summary>
    public async Task<ReceivedFrame?> ReadFrameAsync(FrameType type, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No {type} frame within the timeout.");
            }

            var frame = await ReadFrameAsync(left);
            if (frame is null || frame.Header.Type == type)
            {
                return frame;
            }
        }
    }

    /// <summary>True when the server closes the connection within <paramref name="timeout"/> (frames before the close are skipped).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ReadFrameAsync(deadline - DateTime.UtcNow) is null)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads frames until the server closes the connection (Closed true) or nothing arrives for <paramref name="quiet"/>
    /// (false), at most <paramref name="maxFrames"/>; for tests that account for every answer on a connection.
    /// </summary>
    public async Task<(List<ReceivedFrame> Frames, bool Closed)> ReadFramesUntilCloseAsync(TimeSpan quiet, int maxFrames = 10_000)
    {
        var frames = new List<ReceivedFrame>();
        while (frames.Count < maxFrames)
        {
            ReceivedFrame? frame;
            try
            {
                frame = await ReadFrameAsync(quiet);
            }
            catch (OperationCanceledException)
            {
                return (frames, false);
            }

            if (frame is null)
            {
                return (frames, true);
            }

            frames.Add(frame);
        }

        return (frames, false);
    }

    /// <summary>
    /// Every byte until the server closes the connection (Closed true) or <paramref name="timeout"/> passes (false):
    /// for answers that are not Fitten frames, such as HTTP's on a shared port.
    /// </summary>
    public async Task<(byte[] Bytes, bool Closed)> ReadBytesUntilCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var chunk = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                n = 0;
            }
            catch (OperationCanceledException)
            {
                return ([.. _received], false);
            }

            if (n == 0)
            {
                byte[] all = [.. _received];
                _received.Clear();
                return (all, true);
            }

            _received.AddRange(chunk.AsSpan(0, n));
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A frame read by <see cref="RawFittenConnection"/>, with helpers to decode what tests check.</summary>
internal sealed record ReceivedFrame(FrameHeader Header, byte[] Payload)
{
    /// <summary>For a response: the status code (OK when absent) and message.</summary>
    public (StatusCode Code, string Message) ReadStatus()
    {
        int metadataLength = (int)BinaryPrimitives.ReadUInt32BigEndian(Payload);
        var code = StatusCode.OK;
        string message = string.Empty;
        int at = 4;
        int end = 4 + metadataLength;
        while (at < end)
        {
            byte kind = Payload[at++];
            at += ReadVarint(Payload.AsSpan(at), out ulong value);
            if (kind == 0x10)
            {
                code = (StatusCode)(int)value;
            }
            else
            {
                if (kind == 0x11)
                {
                    message = Encoding.UTF8.GetString(Payload, at, (int)value).TrimEnd();
                }

                at += (int)value;
            }
        }

        return (code, message);
    }

    /// <summary>For a response: status, message and header entries (kind 0x09: key string, value string).</summary>
    public (StatusCode Code, string Message, Dictionary<string, string> Headers) ReadStatusWithHeaders()
    {
        int end = 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(Payload);
        var code = StatusCode.OK;
        string message = string.Empty;
        var headers = new Dictionary<string, string>();
        int at = 4;
        while (at < end)
        {
            byte kind = Payload[at++];
            at += ReadVarint(Payload.AsSpan(at), out ulong value);
            switch (kind)
            {
                case 0x10:
                    code = (StatusCode)(int)value;
                    break;
                case 0x09:
                    string key = Encoding.UTF8.GetString(Payload, at, (int)value);
                    at += (int)value;
                    at += ReadVarint(Payload.AsSpan(at), out ulong length);
                    headers[key] = Encoding.UTF8.GetString(Payload, at, (int)length);
                    at += (int)length;
                    break;
                default:
                    message = kind == 0x11 ? Encoding.UTF8.GetString(Payload, at, (int)value).TrimEnd() : message;
                    at += (int)value;
                    break;
            }
        }

        return (code, message, headers);
    }

    /// <summary>For a response: the message after the metadata block.</summary>
    public byte[] Message => Payload.AsSpan(4 + (int)BinaryPrimitives.ReadUInt32BigEndian(Payload)).ToArray();

    /// <summary>For a goaway: last stream id, code and reason.</summary>
    public (uint LastStreamId, GoAwayCode Code, string Reason) ReadGoAway()
        => (BinaryPrimitives.ReadUInt32BigEndian(Payload), (GoAwayCode)BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)), Encoding.UTF8.GetString(Payload.AsSpan(8)).TrimEnd());

    private static int ReadVarint(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (int i = 0, shift = 0; i < 10; i++, shift += 7)
        {
            value |= (ulong)(source[i] & 0x7F) << shift;
            if (source[i] < 0x80)
            {
                return i + 1;
            }
        }

        throw new FormatException("bad varint");
    }
}
