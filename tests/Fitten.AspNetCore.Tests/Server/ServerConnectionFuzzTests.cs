using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;
using Xunit.Abstractions;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// Sends thousands of randomly mutated copies of valid frames, some of them between 1 MiB and the frame limit, to one
/// server (on a dedicated port, then on a shared one) over many short connections; checks that every stream the server
/// accepted got exactly one answer, then proves the server still serves a good client and logged no failure of its
/// own. The seed is fixed and printed; set FITTEN_FUZZ_SEED to replay another run (the bytes sent depend only on the
/// seed).
/// </summary>
public class ServerConnectionFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_250_611;
    private const int TotalFrames = 4000;
    private const int Workers = 4;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(15);

    // The frame limit of the server under test: requests between 1 MiB and it are sent, and mutated lengths land on
    // both sides of it. Above the 1 MiB a pooled buffer keeps, below the 4 MiB a client assumes of a server it has no
    // settings from, so the echoes of the largest requests still fit a response frame.
    private const int MaxFrameSize = 3 * 1024 * 1024;
    private const int LargeFrameSize = 1024 * 1024;

    // Large frames cost time on a 2-core machine: at most this many per worker (at most 60 MiB each way per port).
    private const int LargeFramesPerWorker = 5;

    // After the client half-closes, the server must close too; this is a generous bound for a loaded machine.
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(5);

    [Theory]
    [MemberData(nameof(Ports.Both), MemberType = typeof(Ports))]
    public async Task Serve_ThousandsOfMutatedFrames_AnswersEachAcceptedStreamOnceKeepsServingGoodClientAndLogsNoFailure(bool shared)
    {
        int seed = Environment.GetEnvironmentVariable("FITTEN_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        string replay = $"seed {seed} on the {(shared ? "shared" : "dedicated")} port (FITTEN_FUZZ_SEED={seed} replays it)";
        output.WriteLine("Fuzz " + replay);
        var unobserved = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var logs = new CapturingLoggerProvider();
            await using var server = await FittenTestServer.StartAsync(
                o =>
                {
                    o.Limits.MaxFrameSize = MaxFrameSize;
                    o.Limits.FrameReadTimeout = TimeSpan.FromSeconds(1);
                },
                shared: shared,
                logs: logs);
            logs.Clear();
            await using var good = await WellBehavedClient.StartAsync(server);
            var corpus = Corpus();
            var tally = new Tally();
            var clock = Stopwatch.StartNew();

            await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => FuzzAsync(server, shared, corpus, w, new Random(seed + w), TotalFrames / Workers, clock, tally)));

            output.WriteLine($"{tally} in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(tally.Violations.IsEmpty, $"Fuzz {replay}: {tally.Violations.Count} broken promises: {string.Join(Environment.NewLine, tally.Violations.Take(10))}");
            await good.AssertUnaffectedAsync();
            await AssertServesGoodClientAsync(server);

            // The fuzz reached the calls (large ones too), the protocol checks and the goaway accounting, and every
            // half-closed connection was closed.
            Assert.True(tally.Frames >= 1000, $"only {tally.Frames} frames sent");
            Assert.True(tally.OkResponses > 0 && tally.ErrorResponses > 0 && tally.GoAways[(int)GoAwayCode.ProtocolError] > 0, tally.ToString());
            Assert.True(tally.LargeFrames > 0 && tally.LargeResponses > 0 && tally.Checked > 100, tally.ToString());
            Assert.Equal(0, tally.NotClosed);
            ServerConnectionBadInputTests.AssertNothingAlarming(logs, allowedEvents: "HandlerFailed");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var serverFaults = unobserved.Where(e => e.ToString().Contains("Fitten.AspNetCore.Server", StringComparison.Ordinal)).ToList();
            Assert.True(serverFaults.Count == 0, "Unobserved server task exceptions: " + string.Join(Environment.NewLine, serverFaults));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    private static async Task AssertServesGoodClientAsync(FittenTestServer server)
    {
        await using var channel = server.CreateChannel();
        var calls = Enumerable.Range(0, 200).Select(async i =>
        {
            var payload = BitConverter.GetBytes(i);
            Assert.Equal(payload, await channel.InvokeAsync(TestMethods.Echo, payload, CallOptions.WithTimeout(TimeSpan.FromSeconds(10))));
        });
        await Task.WhenAll(calls);
    }

    /// <summary>One worker: short connections, each carrying a few mutated frames, until its share is sent or time is up.</summary>
    private static async Task FuzzAsync(FittenTestServer server, bool shared, IReadOnlyList<byte[]> corpus, int worker, Random random, int frames, Stopwatch clock, Tally tally)
    {
        int sent = 0;
        int largeLeft = LargeFramesPerWorker;
        for (int connection = 0; sent < frames && clock.Elapsed < MaxDuration; connection++)
        {
            int count = Math.Min(random.Next(1, 9), frames - sent);
            bool large = largeLeft > 0 && random.Next(12) == 0;
            largeLeft -= large ? 1 : 0;
            var bytes = Connection(corpus, random, count, large);
            var chunks = Split(bytes, random);
            var ending = (Ending)random.Next(3);
            sent += count;
            Interlocked.Add(ref tally.Frames, count);
            Interlocked.Add(ref tally.LargeFrames, large ? 1 : 0);
            Interlocked.Increment(ref tally.Connections);

            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);
            try
            {
                foreach (var chunk in chunks)
                {
                    await raw.SendAsync(chunk);
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The server closed first (bad preface, goaway): what it said is still read below.
            }

            // Half-closing at once ends the input while calls still run (they are answered in the drain); waiting for a
            // quiet moment first lets answers come back while the connection is open.
            var received = new List<ReceivedFrame>();
            bool closed = false;
            if (ending != Ending.HalfCloseAtOnce)
            {
                (var first, closed) = await raw.ReadFramesUntilCloseAsync(TimeSpan.FromMilliseconds(ending == Ending.Abort ? 20 : 50), maxFrames: 1000);
                received.AddRange(first);
            }

            if (ending != Ending.Abort && !closed)
            {
                ShutdownSend(raw);
                (var rest, closed) = await raw.ReadFramesUntilCloseAsync(CloseWithin, maxFrames: 1000);
                received.AddRange(rest);
                if (!closed)
                {
                    Interlocked.Increment(ref tally.NotClosed);
                    tally.Violations.Enqueue($"worker {worker} connection {connection}: not closed {CloseWithin.TotalSeconds} s after the client half-closed (sent {Describe(bytes)}; received {Describe(received)})");
                }
            }

            tally.Count(received);

            // Only a connection read to its close can be held to its promises.
            if (ending != Ending.Abort && closed)
            {
                CheckAnswers(Model(bytes), shared, received, () => $"worker {worker} connection {connection} ({ending}; sent {Describe(bytes)}; received {Describe(received)})", tally);
            }
        }
    }

    private enum Ending
    {
        HalfCloseAtOnce,
        HalfCloseWhenQuiet,
        Abort,
    }

    private static void ShutdownSend(RawFittenConnection raw)
    {
        try
        {
            raw.ShutdownSend();
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Already reset by the server; the read that follows sees the close.
        }
    }

    /// <summary>
    /// A preface (rarely damaged) and <paramref name="count"/> frames, about half of them mutated; one of them a request
    /// between 1 MiB and the frame limit when <paramref name="large"/>.
    /// </summary>
    private static byte[] Connection(IReadOnlyList<byte[]> corpus, Random random, int count, bool large)
    {
        int largeAt = large ? random.Next(count) : -1;
        var bytes = new List<byte>();
        var preface = new byte[FittenProtocol.PrefaceLength];
        FittenProtocol.WritePreface(preface);
        if (random.Next(40) == 0)
        {
            preface[random.Next(preface.Length)] ^= (byte)(1 << random.Next(8));
        }

        bytes.AddRange(preface);
        uint streamId = 1;
        for (int i = 0; i < count; i++)
        {
            var frame = i == largeAt ? LargeRequest(random) : (byte[])corpus[random.Next(corpus.Count)].Clone();
            var type = (FrameType)frame[4];
            if (type is FrameType.Request or FrameType.Cancel)
            {
                // Valid stream ids before mutation, so mutations get past the id check and reach the payload.
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(6), streamId);
                streamId += (uint)(2 * random.Next(1, 3));
            }

            bytes.AddRange(random.Next(2) == 0 ? frame : Mutate(frame, corpus, random));
        }

        return [.. bytes];
    }

    /// <summary>An echo request whose frame payload is between 1 MiB and the frame limit, both included.</summary>
    private static byte[] LargeRequest(Random random)
    {
        int payloadLength = random.Next(3) switch
        {
            0 => LargeFrameSize,
            1 => MaxFrameSize,
            _ => random.Next(LargeFrameSize, MaxFrameSize + 1),
        };
        var empty = RawFittenConnection.RequestFrame(1, "test.echo/Echo", []);
        var message = new byte[payloadLength - (empty.Length - FrameHeader.Size)];
        random.NextBytes(message.AsSpan(0, Math.Min(message.Length, 64)));
        return RawFittenConnection.RequestFrame(1, "test.echo/Echo", message);
    }

    private static byte[] Mutate(byte[] frame, IReadOnlyList<byte[]> corpus, Random random)
    {
        var bytes = new List<byte>(frame);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(11))
            {
                case 0: // flip one bit anywhere
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // any byte becomes a random or boundary value
                    bytes[at] = random.Next(2) == 0 ? (byte)random.Next(256) : Boundary(random);
                    break;
                case 2: // the length field
                    WriteUInt32(bytes, 0, random.Next(4) switch
                    {
                        0 => (uint)random.Next(0, 70 * 1024),
                        1 => (uint)(bytes.Count - FrameHeader.Size + random.Next(-4, 5)),
                        2 => (uint)random.Next(LargeFrameSize, MaxFrameSize + (64 * 1024)),
                        _ => random.Next(3) switch { 0 => uint.MaxValue, 1 => MaxFrameSize, _ => MaxFrameSize + 1 },
                    });
                    break;
                case 3: // the type
                    Set(bytes, 4, (byte)(random.Next(2) == 0 ? random.Next(10) : random.Next(256)));
                    break;
                case 4: // the flags
                    Set(bytes, 5, (byte)random.Next(256));
                    break;
                case 5: // the stream id
                    WriteUInt32(bytes, 6, random.Next(3) switch { 0 => 0u, 1 => (uint)random.Next(1, 8), _ => (uint)random.Next() });
                    break;
                case 6: // the metadata length, or a metadata byte turned into some kind
                    if (random.Next(2) == 0)
                    {
                        WriteUInt32(bytes, FrameHeader.Size, (uint)Math.Max(0, bytes.Count - FrameHeader.Size - 4 + random.Next(-6, 7)));
                    }
                    else
                    {
                        Set(bytes, FrameHeader.Size + 4 + random.Next(Math.Max(1, bytes.Count - FrameHeader.Size - 4)), (byte)random.Next(0x00, 0x22));
                    }

                    break;
                case 7: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 8: // duplicate
                    bytes.AddRange(bytes.ToArray());
                    break;
                case 9: // splice: this frame's head, another frame's tail
                    var other = corpus[random.Next(corpus.Count)];
                    int from = random.Next(other.Length);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.AsSpan(from).ToArray());
                    break;
                default: // insert random bytes
                    var junk = new byte[random.Next(1, 16)];
                    random.NextBytes(junk);
                    bytes.InsertRange(at, junk);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte Boundary(Random random) => random.Next(5) switch { 0 => 0x00, 1 => 0x7F, 2 => 0x80, 3 => 0xFF, _ => 0x01 };

    private static void Set(List<byte> bytes, int at, byte value)
    {
        if (at < bytes.Count)
        {
            bytes[at] = value;
        }
    }

    private static void WriteUInt32(List<byte> bytes, int at, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            Set(bytes, at + i, (byte)(value >> (24 - (8 * i))));
        }
    }

    /// <summary>One to three sends, so frames also arrive in pieces.</summary>
    private static List<ReadOnlyMemory<byte>> Split(byte[] bytes, Random random)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        int pieces = random.Next(1, 4);
        int at = 0;
        for (int i = 1; i < pieces && at < bytes.Length; i++)
        {
            int length = random.Next(1, bytes.Length - at + 1);
            chunks.Add(bytes.AsMemory(at, length));
            at += length;
        }

        chunks.Add(bytes.AsMemory(at));
        return chunks;
    }

    /// <summary>Valid frames of every kind a client sends, requests with every metadata kind.</summary>
    private static List<byte[]> Corpus()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var all = new List<byte[]>
        {
            RawFittenConnection.RequestFrame(1, "test.echo/Echo", []),
            RawFittenConnection.RequestFrame(1, "test.echo/Echo", [1]),
            RawFittenConnection.RequestFrame(1, "test.echo/Echo", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()),
            RawFittenConnection.RequestFrame(1, "test.echo/Echo", new byte[4096]),
            RawFittenConnection.RequestFrame(1, "test.echo/Echo", [1, 2, 3], m =>
            {
                m.Add(0x02);
                RawFittenConnection.AppendVarint(m, 5_000_000);
                AppendString(m, 0x03, "bytes");
                AppendString(m, 0x04, traceParent);
                AppendString(m, 0x05, "vendor=value");
                AppendString(m, 0x06, "user=alice");
                AppendString(m, 0x07, "fuzz.caller");
                AppendPair(m, 0x08, "lane", "canary");
                AppendPair(m, 0x09, "tenant", "acme");
                AppendPair(m, 0x0A, "request-id", "r-1");
                AppendString(m, 0x80, "extension");
            }),
            RawFittenConnection.RequestFrame(1, "test.echo/Inspect", "x"u8, m =>
            {
                AppendString(m, 0x07, "fuzz.caller");
                AppendPair(m, 0x09, "k", "v");
                AppendPair(m, 0x08, "lane", "blue");
            }),
            RawFittenConnection.RequestFrame(1, "test.echo/Fail", "NotFound"u8),
            RawFittenConnection.RequestFrame(1, "test.echo/Strict", "x"u8),
            RawFittenConnection.RequestFrame(1, "test.echo/Delay", "3"u8),
            RawFittenConnection.RequestFrame(1, "test.echo/Delay", "20"u8, m =>
            {
                m.Add(0x02);
                RawFittenConnection.AppendVarint(m, 1000);
            }),
            RawFittenConnection.RequestFrame(1, "test.echo/Missing", [7]),
            RawFittenConnection.Frame(FrameType.Ping, FrameFlags.None, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
            RawFittenConnection.Frame(FrameType.Ping, FrameFlags.Ack, 0, [8, 7, 6, 5, 4, 3, 2, 1]),
            RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, RawFittenConnection.SettingsPayload((SettingId.MaxFrameSize, 1 << 20), (SettingId.MaxConcurrentCalls, 100), (SettingId.MaxMetadataSize, 8192))),
            RawFittenConnection.Frame(FrameType.Settings, FrameFlags.None, 0, []),
            RawFittenConnection.Frame(FrameType.Settings, FrameFlags.Ack, 0, []),
            RawFittenConnection.Frame(FrameType.Cancel, FrameFlags.None, 1, [0, 0, 0, 1]),
            RawFittenConnection.Frame(FrameType.GoAway, FrameFlags.None, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
        };
        return all;
    }

    private static void AppendString(List<byte> metadata, byte kind, string value)
    {
        metadata.Add(kind);
        RawFittenConnection.AppendString(metadata, value);
    }

    private static void AppendPair(List<byte> metadata, byte kind, string key, string value)
    {
        AppendString(metadata, kind, key);
        RawFittenConnection.AppendString(metadata, value);
    }

    /// <summary>
    /// What the server can have made of the bytes a connection sent, read the way its read loop reads them: whether the
    /// preface is Fitten's, the request streams it could accept (ids rising; the frames before the first one over the
    /// limit or cut short), and the streams a cancel names.
    /// </summary>
    private sealed record Sent(bool PrefaceValid, bool FittenFirstByte, HashSet<uint> Candidates, HashSet<uint> Cancelled);

    /// <summary>The frames in <paramref name="bytes"/> as the server cuts them, for failure messages.</summary>
    private static string Describe(byte[] bytes)
    {
        var parts = new List<string>();
        int at = FittenProtocol.PrefaceLength;
        while (at + FrameHeader.Size <= bytes.Length && parts.Count < 20)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            parts.Add($"{(FrameType)bytes[at + 4]}/{bytes[at + 5]:X}#{BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 6))}:{length}");
            if (length > MaxFrameSize || at + FrameHeader.Size + length > bytes.Length)
            {
                break;
            }

            at += FrameHeader.Size + (int)length;
        }

        return $"{Convert.ToHexString(bytes.AsSpan(0, Math.Min(8, bytes.Length)))} {string.Join(" ", parts)} ({bytes.Length} bytes)";
    }

    private static string Describe(List<ReceivedFrame> frames)
        => string.Join(" ", frames.Select(f => f.Header.Type == FrameType.GoAway
            ? $"GoAway({f.ReadGoAway().LastStreamId},{f.ReadGoAway().Code})"
            : $"{f.Header.Type}/{(byte)f.Header.Flags:X}#{f.Header.StreamId}{(f.Header.Type == FrameType.Response ? "=" + f.ReadStatus().Code : string.Empty)}"));

    private static Sent Model(byte[] bytes)
    {
        var candidates = new HashSet<uint>();
        var cancelled = new HashSet<uint>();
        bool prefaceValid = bytes.Length >= FittenProtocol.PrefaceLength && bytes.AsSpan(0, 7).SequenceEqual(FittenProtocol.Magic);
        uint highest = 0;
        for (int at = FittenProtocol.PrefaceLength; prefaceValid && at + FrameHeader.Size <= bytes.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length > MaxFrameSize || at + FrameHeader.Size + length > bytes.Length)
            {
                break;
            }

            var type = (FrameType)bytes[at + 4];
            uint streamId = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 6));
            if (type == FrameType.Request && streamId > highest)
            {
                candidates.Add(streamId);
                highest = streamId;
            }
            else if (type == FrameType.Cancel)
            {
                cancelled.Add(streamId);
            }

            at += FrameHeader.Size + (int)length;
        }

        return new Sent(prefaceValid, bytes.Length > 0 && bytes[0] == FittenProtocol.MagicFirstByte, candidates, cancelled);
    }

    /// <summary>
    /// The promises of docs/protocol.md §3.5 and §7, for a connection read until the server closed it: no stream is
    /// answered twice or answered without having been sent; every stream at or below the last goaway's last stream id
    /// is answered (unless the client cancelled it); a stream above it is answered only with a refusal.
    /// </summary>
    private static void CheckAnswers(Sent sent, bool shared, List<ReceivedFrame> received, Func<string> where, Tally tally)
    {
        if (shared && !sent.FittenFirstByte)
        {
            return; // HTTP/1.1's connection: its answer is not Fitten's
        }

        Interlocked.Increment(ref tally.Checked);
        if (!sent.PrefaceValid)
        {
            if (received.Count > 0)
            {
                tally.Violations.Enqueue($"{where()}: {received.Count} frames answered a preface that is not Fitten's");
            }

            return;
        }

        var goAways = received.Where(f => f.Header.Type == FrameType.GoAway).Select(f => f.ReadGoAway()).ToList();
        if (goAways.Count == 0)
        {
            tally.Violations.Enqueue($"{where()}: closed without a goaway");
            return;
        }

        uint last = goAways[^1].LastStreamId;
        var answers = new Dictionary<uint, int>();
        foreach (var response in received.Where(f => f.Header.Type == FrameType.Response))
        {
            uint id = response.Header.StreamId;
            answers[id] = answers.GetValueOrDefault(id) + 1;
            if (answers[id] == 2)
            {
                tally.Violations.Enqueue($"{where()}: stream {id} answered twice");
            }

            if (!sent.Candidates.Contains(id))
            {
                tally.Violations.Enqueue($"{where()}: stream {id} answered but never sent as a request the server could take");
            }
            else if (id > last && (!response.Header.Flags.HasFlag(FrameFlags.Refused) || response.ReadStatus().Code != StatusCode.Unavailable))
            {
                tally.Violations.Enqueue($"{where()}: stream {id} above the goaway's last stream {last} answered {response.ReadStatus().Code} without being refused");
            }
        }

        foreach (uint id in sent.Candidates.Where(id => id <= last && !sent.Cancelled.Contains(id) && !answers.ContainsKey(id)))
        {
            tally.Violations.Enqueue($"{where()}: stream {id} at or below the goaway's last stream {last} ({goAways[^1].Code}) was never answered");
        }
    }

    /// <summary>What was sent and what the server answered, across all workers.</summary>
    private sealed class Tally
    {
        public int Frames;
        public int Connections;
        public int OkResponses;
        public int ErrorResponses;
        public readonly int[] GoAways = new int[8];
        public int Pongs;
        public int NotClosed;
        public int LargeFrames;
        public int LargeResponses;
        public int Checked;
        public readonly System.Collections.Concurrent.ConcurrentQueue<string> Violations = new();

        public void Count(List<ReceivedFrame> frames)
        {
            foreach (var frame in frames)
            {
                Count(frame);
            }
        }

        private void Count(ReceivedFrame frame)
        {
            switch (frame.Header.Type)
            {
                case FrameType.Response:
                    Interlocked.Increment(ref frame.ReadStatus().Code == StatusCode.OK ? ref OkResponses : ref ErrorResponses);
                    Interlocked.Add(ref LargeResponses, frame.Payload.Length >= LargeFrameSize ? 1 : 0);
                    break;
                case FrameType.GoAway:
                    var code = frame.ReadGoAway().Code;
                    Interlocked.Increment(ref GoAways[Math.Min((int)code, GoAways.Length - 1)]);
                    break;
                case FrameType.Ping:
                    Interlocked.Increment(ref Pongs);
                    break;
            }
        }

        public override string ToString()
            => $"{Frames} frames ({LargeFrames} of 1 MiB or more) on {Connections} connections ({Checked} checked stream by stream); answers: {LargeResponses} of 1 MiB or more, {OkResponses} OK, {ErrorResponses} errors, {Pongs} pongs, " +
               $"goaways {string.Join(", ", GoAways.Select((n, code) => (n, code)).Where(g => g.n > 0).Select(g => $"{(GoAwayCode)g.code}={g.n}"))}; {NotClosed} half-closed connections left open";
    }
}
