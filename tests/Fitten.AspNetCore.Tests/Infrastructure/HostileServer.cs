using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A raw TCP "Fitten server" on 127.0.0.1 that runs a test's script on every connection it accepts: it reads the
/// client's preface and frames (tolerating the client's settings, pings and cancels, never answering them) and hands
/// the script each request, so the script can answer with whatever bytes it likes. <see cref="RelayTo"/> turns it
/// healthy: connections accepted from then on are relayed to a real server, so a test can check that the same
/// channel, at the same address, works again.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<HostileConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly List<Task> _running = [];
    private readonly Task _accepting;
    private volatile IPEndPoint? _relayTo;
    private int _accepted;

    /// <param name="script">What to do on each connection.</param>
    /// <param name="receiveBufferSize">
    /// The accepted sockets' kernel receive buffer; a small one (which turns off autotuning) makes a connection that
    /// stops reading push back on the client soon.
    /// </param>
    public HostileServer(Func<HostileConnection, Task> script, int? receiveBufferSize = null)
    {
        _script = script;
        if (receiveBufferSize is { } size)
        {
            _listener.Server.ReceiveBufferSize = size;
        }

        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, ((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>Connections that ran the script.</summary>
    public int HostileConnections => Volatile.Read(ref _accepted);

    /// <summary>Connections accepted from now on are relayed to <paramref name="healthy"/>; hostile ones stay as they are.</summary>
    public void RelayTo(IPEndPoint healthy) => _relayTo = healthy;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] running;
        lock (_open)
        {
            _open.ForEach(s => s.Dispose());
            _open.Clear();
            running = [.. _running];
        }

        await Task.WhenAll(running.Append(_accepting)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private Task AcceptAsync() => SocketRelay.AcceptEachAsync(_listener, OnAcceptedAsync, _stop.Token);

    private async Task OnAcceptedAsync(Socket client)
    {
        client.NoDelay = true;
        Track(client, null);
        if (_relayTo is { } target)
        {
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Track(server, null);
            if (await SocketRelay.ConnectAsync(client, server, target, _stop.Token))
            {
                Track(null, RelayAsync(client, server));
                Track(null, RelayAsync(server, client));
            }

            return;
        }

        Interlocked.Increment(ref _accepted);
        var connection = new HostileConnection(client, _stop.Token);
        Track(null, connection.RunAsync(_script));
    }

    private void Track(Socket? socket, Task? task)
    {
        lock (_open)
        {
            if (socket is not null)
            {
                _open.Add(socket);
            }

            if (task is not null)
            {
                _running.Add(task);
            }
        }
    }

    private Task RelayAsync(Socket from, Socket to) => SocketRelay.CopyAsync(from, to, null, _stop.Token);
}

/// <summary>A request the client sent to a <see cref="HostileServer"/>.</summary>
internal sealed record HostileRequest(uint StreamId, byte[] Message);

/// <summary>One connection of a <see cref="HostileServer"/>: its script reads requests and writes raw bytes.</summary>
internal sealed class HostileConnection
{
    private readonly Socket _socket;
    private readonly CancellationToken _stopping;
    private readonly Channel<HostileRequest> _requests = Channel.CreateUnbounded<HostileRequest>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _echo;
    private volatile TaskCompletionSource? _paused;
    private int _pingAcks;

    public HostileConnection(Socket socket, CancellationToken stopping)
    {
        _socket = socket;
        _stopping = stopping;
    }

    /// <summary>The client closed the connection, or the reader stopped.</summary>
    public bool ClientClosed { get; private set; }

    /// <summary>Ping ACKs the client sent (answers to the server's pings) that were read.</summary>
    public int PingAcksReceived => Volatile.Read(ref _pingAcks);

    /// <summary>Stops reading from the client until <see cref="ResumeReading"/>; its frames wait in the kernel's buffers.</summary>
    public void PauseReading() => _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => _paused?.TrySetResult();

    /// <summary>The next request the client sends; null when the client closes or none comes within <paramref name="timeout"/>.</summary>
    public async Task<HostileRequest?> NextRequestAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _requests.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Up to <paramref name="count"/> requests: waits for each at most <paramref name="timeout"/> (fewer if the client stops sending).</summary>
    public async Task<List<HostileRequest>> RequestsAsync(int count, TimeSpan? timeout = null)
    {
        var requests = new List<HostileRequest>();
        while (requests.Count < count && await NextRequestAsync(timeout) is { } request)
        {
            requests.Add(request);
        }

        return requests;
    }

    /// <summary>From now on this connection answers every request correctly (an echo), as a healthy server would.</summary>
    public async Task BehaveAsync()
    {
        _echo = true;
        while (_requests.Reader.TryRead(out var request))
        {
            await SendAsync(Response(request.StreamId, request.Message));
        }
    }

    /// <summary>Writes raw bytes; false when the client has gone (a hostile server does not care).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync(_stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            while (!bytes.IsEmpty)
            {
                int sent = await _socket.SendAsync(bytes, SocketFlags.None, _stopping);
                bytes = bytes[sent..];
            }

            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes gracefully (FIN) after what was sent.</summary>
    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Close();
    }

    /// <summary>Closes with a reset (RST): the client's read fails rather than ending.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>A whole frame.</summary>
    public static byte[] Frame(FrameType type, FrameFlags flags, uint streamId, ReadOnlySpan<byte> payload)
        => RawFittenConnection.Frame(type, flags, streamId, payload);

    /// <summary>A raw frame header claiming <paramref name="length"/> payload bytes (any u32, as a hostile server may).</summary>
    public static byte[] Header(uint length, byte type, byte flags, uint streamId)
    {
        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        header[4] = type;
        header[5] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(6), streamId);
        return header;
    }

    /// <summary>A RESPONSE frame: a metadata block (empty: OK) and a message.</summary>
    public static byte[] Response(uint streamId, ReadOnlySpan<byte> message, ReadOnlySpan<byte> metadata = default, FrameFlags flags = FrameFlags.EndStream)
        => Frame(FrameType.Response, flags, streamId, ResponsePayload(metadata, message));

    public static byte[] ResponsePayload(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> message)
    {
        var payload = new byte[4 + metadata.Length + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)metadata.Length);
        metadata.CopyTo(payload.AsSpan(4));
        message.CopyTo(payload.AsSpan(4 + metadata.Length));
        return payload;
    }

    /// <summary>A metadata block holding a status (as a varint, any value) and optionally its message.</summary>
    public static byte[] StatusMetadata(ulong code, string? message = null)
    {
        var block = new List<byte> { (byte)MetadataKind.Status };
        RawFittenConnection.AppendVarint(block, code);
        if (message is not null)
        {
            block.Add((byte)MetadataKind.StatusMessage);
            RawFittenConnection.AppendString(block, message);
        }

        return [.. block];
    }

    /// <summary>A SETTINGS frame with raw (id, value) entries, in range or not.</summary>
    public static byte[] Settings(params (ushort Id, uint Value)[] entries)
    {
        var payload = new byte[entries.Length * SettingsFrame.EntrySize];
        for (int i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * SettingsFrame.EntrySize), entries[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan((i * SettingsFrame.EntrySize) + 2), entries[i].Value);
        }

        return Frame(FrameType.Settings, FrameFlags.None, 0, payload);
    }

    /// <summary>A GOAWAY frame naming <paramref name="lastStreamId"/>.</summary>
    public static byte[] GoAway(uint lastStreamId, GoAwayCode code = GoAwayCode.NoError)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), (uint)code);
        return Frame(FrameType.GoAway, FrameFlags.None, 0, payload);
    }

    /// <summary>A PING frame (not an ACK) with 8 bytes of data.</summary>
    public static byte[] Ping(ulong data)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(payload, data);
        return Frame(FrameType.Ping, FrameFlags.None, 0, payload);
    }

    internal async Task RunAsync(Func<HostileConnection, Task> script)
    {
        var reading = ReadAsync();
        try
        {
            await script(this);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away mid-script: a hostile server does not mind.
        }

        await reading;
    }

    /// <summary>
    /// Reads the preface and then frames until the client closes: requests go to the script (or are echoed once
    /// <see cref="BehaveAsync"/> ran); settings, pings (the client's keepalive), cancels and goaways are read and dropped.
    /// </summary>
    private async Task ReadAsync()
    {
        var buffer = new List<byte>();
        var chunk = new byte[64 * 1024];
        bool prefaceRead = false;
        try
        {
            while (true)
            {
                if (_paused is { } paused)
                {
                    await paused.Task.WaitAsync(_stopping);
                    _paused = null;
                }

                int n = await _socket.ReceiveAsync(chunk, SocketFlags.None, _stopping);
                if (n == 0)
                {
                    return;
                }

                buffer.AddRange(chunk.AsSpan(0, n));
                if (!prefaceRead)
                {
                    if (buffer.Count < FittenProtocol.PrefaceLength)
                    {
                        continue;
                    }

                    buffer.RemoveRange(0, FittenProtocol.PrefaceLength);
                    prefaceRead = true;
                }

                while (buffer.Count >= FrameHeader.Size)
                {
                    var header = FrameHeader.Read([.. buffer.GetRange(0, FrameHeader.Size)]);
                    if (buffer.Count < FrameHeader.Size + header.Length)
                    {
                        break;
                    }

                    var payload = buffer.GetRange(FrameHeader.Size, header.Length).ToArray();
                    buffer.RemoveRange(0, FrameHeader.Size + header.Length);
                    if (header.Type == FrameType.Ping && (header.Flags & FrameFlags.Ack) != 0)
                    {
                        Interlocked.Increment(ref _pingAcks);
                    }
                    else if (header.Type == FrameType.Request)
                    {
                        int metadataLength = (int)BinaryPrimitives.ReadUInt32BigEndian(payload);
                        var request = new HostileRequest(header.StreamId, payload[(4 + metadataLength)..]);
                        if (_echo)
                        {
                            await SendAsync(Response(request.StreamId, request.Message));
                        }
                        else
                        {
                            _requests.Writer.TryWrite(request);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the client reset the connection.
        }
        finally
        {
            ClientClosed = true;
            _requests.Writer.TryComplete();
        }
    }
}
