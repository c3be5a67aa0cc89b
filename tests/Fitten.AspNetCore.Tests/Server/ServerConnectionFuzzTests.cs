using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;
using Xunit.Abstractions;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// Sends thousands of randomly mutated copies of valid frames to one server over many short connections, then
/// proves the server still serves a good client and logged no failure of its own. The seed is fixed and printed;
/// set FITTEN_FUZZ_SEED to replay another run (the bytes sent depend only on the seed).
/// </summary>
public class ServerConnectionFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_250_611;
    private const int TotalFrames = 5000;
    private const int Workers = 4;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(20);

    // After the client half-closes, the server must close too; this is a generous bound for a loaded machine.
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Serve_ThousandsOfMutatedFrames_KeepsServingGoodClientAndLogsNoFailure()
    {
        int seed = Environment.GetEnvironmentVariable("FITTEN_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        output.WriteLine($"Fuzz seed: {seed} (FITTEN_FUZZ_SEED={seed} replays it)");
        var unobserved = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var logs = new CapturingLoggerProvider();
            await using var server = await FittenTestServer.StartAsync(
                o =>
                {
                    // Small enough that mutated lengths land on both sides of it.
                    o.Limits.MaxFrameSize = 64 * 1024;
                    o.Limits.FrameReadTimeout = TimeSpan.FromSeconds(1);
                },
                logs: logs);
            logs.Clear();
            await using var good = await WellBehavedClient.StartAsync(server);
            var corpus = Corpus();
            var tally = new Tally();
            var clock = Stopwatch.StartNew();

            await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => FuzzAsync(server, corpus, new Random(seed + w), TotalFrames / Workers, clock, tally)));

            output.WriteLine($"{tally} in {clock.Elapsed.TotalSeconds:F1} s");
            await good.AssertUnaffectedAsync();
            await AssertServesGoodClientAsync(server);

            // The fuzz reached both the calls and the protocol checks, and every half-closed connection was closed.
            Assert.True(tally.Frames >= 1000, $"only {tally.Frames} frames sent");
            Assert.True(tally.OkResponses > 0 && tally.ErrorResponses > 0 && tally.GoAways[(int)GoAwayCode.ProtocolError] > 0, tally.ToString());
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
    private static async Task FuzzAsync(FittenTestServer server, IReadOnlyList<byte[]> corpus, Random random, int frames, Stopwatch clock, Tally tally)
    {
        int sent = 0;
        while (sent < frames && clock.Elapsed < MaxDuration)
        {
            int count = Math.Min(random.Next(1, 9), frames - sent);
            var chunks = Split(Connection(corpus, random, count), random);
            var ending = (Ending)random.Next(3);
            sent += count;
            Interlocked.Add(ref tally.Frames, count);
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

            // Half-closing at once ends calls still running; waiting for a quiet moment first lets answers come back.
            bool closed = ending == Ending.HalfCloseAtOnce || await ReadAsync(raw, quiet: TimeSpan.FromMilliseconds(ending == Ending.Abort ? 20 : 50), tally);
            if (ending != Ending.Abort && !closed)
            {
                ShutdownSend(raw);
                if (!await ReadAsync(raw, quiet: CloseWithin, tally))
                {
                    Interlocked.Increment(ref tally.NotClosed);
                }
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

    /// <summary>Tallies what the server sends until it closes (true) or nothing arrives for <paramref name="quiet"/> (false).</summary>
    private static async Task<bool> ReadAsync(RawFittenConnection raw, TimeSpan quiet, Tally tally)
    {
        // Bounded: even a connection whose frames were all duplicated cannot earn this many answers.
        for (int i = 0; i < 1000; i++)
        {
            ReceivedFrame? frame;
            try
            {
                frame = await raw.ReadFrameAsync(quiet);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            if (frame is null)
            {
                return true;
            }

            tally.Count(frame);
        }

        return false;
    }

    /// <summary>A preface (rarely damaged) and <paramref name="count"/> frames, most of them mutated.</summary>
    private static byte[] Connection(IReadOnlyList<byte[]> corpus, Random random, int count)
    {
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
            var frame = (byte[])corpus[random.Next(corpus.Count)].Clone();
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
                    WriteUInt32(bytes, 0, random.Next(3) switch
                    {
                        0 => (uint)random.Next(0, 70 * 1024),
                        1 => (uint)(bytes.Count - FrameHeader.Size + random.Next(-4, 5)),
                        _ => random.Next(2) == 0 ? uint.MaxValue : (64u * 1024) + 1,
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

        public void Count(ReceivedFrame frame)
        {
            switch (frame.Header.Type)
            {
                case FrameType.Response:
                    Interlocked.Increment(ref frame.ReadStatus().Code == StatusCode.OK ? ref OkResponses : ref ErrorResponses);
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
            => $"{Frames} frames on {Connections} connections; answers: {OkResponses} OK, {ErrorResponses} errors, {Pongs} pongs, " +
               $"goaways {string.Join(", ", GoAways.Select((n, code) => (n, code)).Where(g => g.n > 0).Select(g => $"{(GoAwayCode)g.code}={g.n}"))}; {NotClosed} half-closed connections left open";
    }
}
