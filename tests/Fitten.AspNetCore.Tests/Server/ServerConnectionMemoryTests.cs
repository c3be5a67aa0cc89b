using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Fitten.AspNetCore.Server;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;
using Xunit.Abstractions;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>
/// What a peer can make the server hold in memory, measured on the managed heap of this process (the server runs
/// in it). Run alone: other tests' allocations would blur the numbers.
/// </summary>
[Collection(nameof(ServerConnectionMemoryTests))]
public class ServerConnectionMemoryTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    // FittenServerOptions.MaxBufferedBytesPerConnection's documented default.
    private const long Bound = 4 * MiB;

    // Beyond the bound: the handlers' own copies of the requests they hold (a 1 MiB text is a 2 MiB string),
    // Kestrel's input buffer and memory pool, and the test's own buffers.
    private const long Slack = 24 * MiB;

    [Theory]
    [InlineData("held")] // handlers hold the requests (a long delay): request payloads of calls in flight
    [InlineData("echoed")] // handlers answer at once: 1 MiB responses the client never reads
    public async Task LargeRequestsNeverRead_HeapStaysUnderBound_WhileOthersAreServed(string handling)
    {
        await using var server = await FittenTestServer.StartAsync(o =>
        {
            o.Limits.FrameReadTimeout = TimeSpan.FromSeconds(5);
            o.DrainTimeout = TimeSpan.FromSeconds(1);
        });
        await using var good = await WellBehavedClient.StartAsync(server);
        long baseline = HeapAfterFullCollection();
        int servedBefore = good.Succeeded;
        var request = handling == "held"
            ? RawFittenConnection.RequestFrame(0, "test.echo/Delay", Encoding.ASCII.GetBytes("30000".PadRight(MiB)))
            : RawFittenConnection.RequestFrame(0, "test.echo/Echo", new byte[MiB]);

        long peak = 0;
        int sent = 0;
        await using (var raw = await RawFittenConnection.ConnectWithReceiveBufferAsync(server.EndPoint, 4096))
        {
            // Bounded: at most 100 requests (100 MiB) or 30 s; a send that stays blocked (the server stopped reading,
            // the TCP windows are full) ends the flood.
            var until = DateTime.UtcNow.AddSeconds(30);
            for (uint i = 0; i < 100 && DateTime.UtcNow < until; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(6), (2 * i) + 1);
                try
                {
                    await raw.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(3));
                }
                catch (Exception ex) when (ex is TimeoutException or SocketException or ObjectDisposedException)
                {
                    break;
                }

                sent++;
                if (sent % 5 == 0)
                {
                    peak = Math.Max(peak, HeapAfterFullCollection() - baseline);
                }
            }

            // What the server holds once the flood has stalled.
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(300);
                peak = Math.Max(peak, HeapAfterFullCollection() - baseline);
            }
        }

        output.WriteLine($"{sent} requests of 1 MiB sent; heap grew by at most {peak / (double)MiB:F1} MiB; the well-behaved client made {good.Succeeded - servedBefore} calls meanwhile");
        Assert.True(peak < (2 * Bound) + Slack, $"the heap grew by {peak / (double)MiB:F1} MiB after {sent} requests of 1 MiB; allowed: {((2 * Bound) + Slack) / MiB} MiB");
        Assert.True(good.Succeeded > servedBefore, "the well-behaved client made no call during the flood");
        await good.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task BurstOfLargeCalls_Afterwards_PooledCallsKeepNoLargeBuffers()
    {
        await using var server = await FittenTestServer.StartAsync();
        const int connections = 16;
        const int callsEach = 4;
        var request = Encoding.ASCII.GetBytes("300".PadRight(MiB));
        long baseline = HeapAfterFullCollection();

        // 64 calls of 1 MiB in flight together (each waits 300 ms), so 64 pooled call objects serve one.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint);
            for (uint i = 0; i < callsEach; i++)
            {
                await raw.SendRequestAsync((2 * i) + 1, "test.echo/Delay", request);
            }

            for (int i = 0; i < callsEach; i++)
            {
                var response = await raw.ReadFrameAsync(FrameType.Response, TimeSpan.FromSeconds(30));
                Assert.NotNull(response);
                Assert.Equal(StatusCode.OK, response.ReadStatus().Code);
            }
        }));

        await Task.Delay(200);
        long growth = HeapAfterFullCollection() - baseline;
        var kept = PooledCallBuffers();
        output.WriteLine($"{connections * callsEach} calls of 1 MiB in flight together; afterwards {kept.Count} pooled calls keep {kept.Sum() / (double)MiB:F1} MiB of buffers (largest {kept.DefaultIfEmpty().Max()} bytes) and the heap holds {growth / (double)MiB:F1} MiB more");

        // What a pooled call keeps is what typical messages need (16 KiB per buffer), not what the burst's did.
        Assert.NotEmpty(kept);
        Assert.All(kept, bytes => Assert.True(bytes <= 2 * 16 * 1024, $"a pooled call keeps {bytes} bytes of buffers"));
    }

    [Theory]
    [InlineData(64 * 1024 - 1, false)]
    [InlineData(64 * 1024, true)]
    [InlineData(1024L * MiB, true)]
    [InlineData((1024L * MiB) + 1, false)]
    public void MaxBufferedBytesPerConnection_Validated_OutOfRangeNamesTheKey(long value, bool valid)
    {
        var options = new FittenServerOptions { MaxBufferedBytesPerConnection = value };

        var result = new Fitten.AspNetCore.Hosting.FittenServerOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Fitten:Server:MaxBufferedBytesPerConnection", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MaxBufferedBytesPerConnection_Default_IsTheDocumentedBound()
        => Assert.Equal(Bound, new FittenServerOptions().MaxBufferedBytesPerConnection);

    /// <summary>The buffer bytes each idle pooled call keeps (read from the pool's slots; nothing else exposes them).</summary>
    private static List<long> PooledCallBuffers()
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var pool = typeof(ServerCall).GetField("Pool", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var fast = (ServerCall?)pool.GetType().GetField("_fast", Private)!.GetValue(pool);
        var items = (ServerCall?[])pool.GetType().GetField("_items", Private)!.GetValue(pool)!;
        var buffer = typeof(Fitten.Internal.PooledBufferWriter).GetField("_buffer", Private)!;
        return items.Append(fast).OfType<ServerCall>()
            .Select(call => (long)((byte[])buffer.GetValue(call.RequestPayload)!).Length + ((byte[])buffer.GetValue(call.ResponseBody)!).Length)
            .ToList();
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Memory tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ServerConnectionMemoryTests), DisableParallelization = true)]
public sealed class ServerConnectionMemoryCollection;
