using System.Buffers.Binary;
using System.Globalization;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Protocol;
using Xunit.Abstractions;
using static Fitten.AspNetCore.Tests.Client.HostileServerCalls;
using static Fitten.AspNetCore.Tests.Infrastructure.HostileConnection;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// A server answers each fresh channel's calls with a randomly mutated copy of a valid answer stream (settings, ping,
/// responses, goaway): bits flipped, lengths, ids, types and flags replaced by edge values, bytes inserted, frames
/// repeated, the stream cut off, then the socket closed, reset or left open. Every call must end with an answer or
/// a status, nothing may fault unobserved, and every channel must work again once its address is healthy. The
/// bytes of an iteration depend only on the seed and the iteration number (which the calls carry to the server),
/// so a failure replays with FITTEN_CLIENT_FUZZ_SEED.
/// </summary>
public sealed class ClientReadLoopFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_202;
    private const int Iterations = 200;
    private const int Parallel = 8;
    private const int CallsPerIteration = 2;
    private const int MiB = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private static readonly uint[] Lengths = [0, 1, 3, 4, 9, 1023, MiB + 1, 3 * MiB, 4 * MiB, 4 * MiB + 1, int.MaxValue, 0x8000_0000, uint.MaxValue];
    private static readonly uint[] StreamIds = [0, 1, 2, 3, 0x7FFF_FFFF, 0x8000_0000, uint.MaxValue];

    [Fact]
    public async Task MutatedAnswers_EveryCallEnds_ChannelsRecover()
    {
        int seed = Environment.GetEnvironmentVariable("FITTEN_CLIENT_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        string replay = $"seed {seed} (FITTEN_CLIENT_FUZZ_SEED={seed} replays it)";
        output.WriteLine($"Client fuzz {replay}");

        using var unobserved = new UnobservedExceptions();
        await using var healthy = await FittenTestServer.StartAsync();
        await using var hostile = new HostileServer(c => AnswerMutatedAsync(c, seed));
        var channels = Enumerable.Range(0, Iterations).Select(_ => new FittenChannel(hostile.EndPoint, new FittenChannelOptions
        {
            // Short enough that connections left stuck mid-frame are closed soon after the fuzz; longer than the deadline.
            KeepAliveInterval = TimeSpan.FromSeconds(2),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
        })).ToArray();
        try
        {
            using var gate = new SemaphoreSlim(Parallel);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, Iterations).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var ended = await Task.WhenAll(Enumerable.Range(0, CallsPerIteration).Select(c => CallAsync(channels[i], Message(i, c), Deadline)));
                    return (Iteration: i, Outcomes: ended);
                }
                finally
                {
                    gate.Release();
                }
            }));

            var tally = outcomes.SelectMany(o => o.Outcomes).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(string.Join(", ", tally.Select(t => $"{t.Key}={t.Value}")));

            // Any defined status the (mutated) server sent is its answer; never a hang, another exception or an undefined code.
            var ends = Enum.GetNames<StatusCode>().Append("OK").Append("OK:other").ToHashSet();
            var bad = outcomes.Where(o => !o.Outcomes.All(ends.Contains)).ToList();
            Assert.True(bad.Count == 0, $"{replay}: iterations {string.Join("; ", bad.Take(10).Select(b => $"{b.Iteration}: {string.Join(", ", b.Outcomes)}"))}");
            Assert.True(outcomes.Count(o => o.Outcomes.Any(x => x.StartsWith("OK", StringComparison.Ordinal))) > 0 && tally.ContainsKey("Unavailable"), $"{replay}: the fuzz reached too little: {string.Join(", ", tally)}");

            hostile.RelayTo(healthy.EndPoint);
            await Task.WhenAll(channels.Select((channel, i) => AssertRecoversAsync(channel, $"{replay}, iteration {i}")));
            unobserved.AssertNone(replay);
        }
        finally
        {
            foreach (var channel in channels)
            {
                await channel.DisposeAsync();
            }
        }
    }

    /// <summary>The call's message names the iteration, so the server's bytes for it follow from the seed alone.</summary>
    private static byte[] Message(int iteration, int call)
    {
        var message = new byte[5];
        BinaryPrimitives.WriteInt32BigEndian(message, iteration);
        message[4] = (byte)call;
        return message;
    }

    private static async Task AnswerMutatedAsync(HostileConnection connection, int seed)
    {
        var requests = await connection.RequestsAsync(CallsPerIteration, TimeSpan.FromSeconds(2));
        if (requests.Count == 0 || requests[0].Message.Length < 4)
        {
            return;
        }

        int iteration = BinaryPrimitives.ReadInt32BigEndian(requests[0].Message);
        var random = new Random(unchecked((seed * 7919) + iteration));
        var ids = requests.Select(r => r.StreamId).Order().ToArray();
        var (bytes, frameStarts) = ValidAnswers(random, ids);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            bytes = Mutate(random, bytes, frameStarts);
        }

        // Sent in a few pieces, so frames also arrive split across reads.
        for (int at = 0; at < bytes.Count;)
        {
            int piece = Math.Min(bytes.Count - at, random.Next(1, 3) == 1 ? random.Next(1, 16) : bytes.Count);
            await connection.SendAsync(bytes.GetRange(at, piece).ToArray());
            at += piece;
        }

        switch (random.Next(4))
        {
            case 0:
                connection.Close();
                break;
            case 1:
                connection.Abort();
                break;
            default:
                // Left open and silent: the calls end at their deadline, keepalive closes the connection.
                break;
        }
    }

    /// <summary>A valid answer stream for the streams <paramref name="ids"/>, and where each frame starts in it.</summary>
    private static (List<byte> Bytes, List<int> FrameStarts) ValidAnswers(Random random, uint[] ids)
    {
        var frames = new List<byte[]> { Settings((1, 4 * MiB), (2, 1024), (3, 8192)) };
        if (random.Next(2) == 0)
        {
            frames.Add(Ping((ulong)random.NextInt64()));
        }

        foreach (uint id in ids)
        {
            var message = new byte[random.Next(2) == 0 ? random.Next(0, 8) : random.Next(0, 2000)];
            random.NextBytes(message);
            frames.Add(random.Next(4) switch
            {
                0 => Response(id, [], StatusMetadata((ulong)random.Next(1, 17), "failed")),
                1 => Response(id, message, [0x09, 0x01, (byte)'k', 0x01, (byte)'v']),
                2 => Response(id, [], StatusMetadata((ulong)StatusCode.Unavailable, "refused"), FrameFlags.EndStream | FrameFlags.Refused),
                _ => Response(id, message),
            });
        }

        if (random.Next(3) == 0)
        {
            frames.Add(GoAway(ids[^1]));
        }

        var bytes = new List<byte>();
        var starts = new List<int>();
        foreach (var frame in frames)
        {
            starts.Add(bytes.Count);
            bytes.AddRange(frame);
        }

        return (bytes, starts);
    }

    private static List<byte> Mutate(Random random, List<byte> bytes, List<int> frameStarts)
    {
        int frame = frameStarts[random.Next(frameStarts.Count)];
        if (bytes.Count == 0)
        {
            return bytes;
        }

        if (frame + FrameHeader.Size > bytes.Count)
        {
            // That frame was cut off by an earlier mutation.
            frame = 0;
        }

        switch (random.Next(9))
        {
            case 0:
                FlipBit(random, bytes);
                break;
            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                WriteUInt32(bytes, frame, Lengths[random.Next(Lengths.Length)]);
                break;
            case 3:
                WriteUInt32(bytes, frame + 6, StreamIds[random.Next(StreamIds.Length)]);
                break;
            case 4:
                if (frame + FrameHeader.Size <= bytes.Count)
                {
                    bytes[frame + 4] = (byte)(random.Next(2) == 0 ? random.Next(8) : random.Next(256));
                    bytes[frame + 5] = (byte)random.Next(4);
                }
                break;
            case 5:
                // The metadata length of a response (or the first payload bytes of another frame).
                if (frame + 14 <= bytes.Count)
                {
                    WriteUInt32(bytes, frame + 10, Lengths[random.Next(Lengths.Length)]);
                }

                break;
            case 6:
                var inserted = new byte[random.Next(1, 32)];
                random.NextBytes(inserted);
                bytes.InsertRange(random.Next(bytes.Count + 1), inserted);
                break;
            case 7:
                // A frame sent again (a duplicated response, settings, ping or goaway).
                int end = frameStarts.FirstOrDefault(s => s > frame, bytes.Count);
                if (end <= bytes.Count && end > frame)
                {
                    bytes.AddRange(bytes.GetRange(frame, end - frame));
                }

                break;
            default:
                bytes = bytes.GetRange(0, random.Next(bytes.Count));
                break;
        }

        return bytes;
    }

    private static void FlipBit(Random random, List<byte> bytes)
    {
        int at = random.Next(bytes.Count);
        bytes[at] ^= (byte)(1 << random.Next(8));
    }

    private static void WriteUInt32(List<byte> bytes, int at, uint value)
    {
        if (at + 4 > bytes.Count)
        {
            return;
        }

        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(field, value);
        for (int i = 0; i < 4; i++)
        {
            bytes[at + i] = field[i];
        }
    }
}
