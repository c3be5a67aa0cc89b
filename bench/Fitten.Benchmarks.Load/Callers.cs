using System.Buffers;
using System.Diagnostics;
using System.Net;
using Fitten.Benchmarks.Proto;
using Fitten.Client;
using Google.Protobuf;
using Grpc.Net.Client;

namespace Fitten.Benchmarks.Load;

/// <summary>
/// The closed-loop callers, one loop per target written out in full: a shared abstraction would put a delegate or
/// an extra async state machine on every call and blur the allocation numbers this benchmark exists to measure.
/// Each caller reuses one request message, so the only message allocated per call is the decoded response.
/// </summary>
internal static class Callers
{
    private static readonly Method<byte[], byte[]> Echo = new("bench.echo", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);

    public static readonly Method<byte[], byte[]> Relay = new("bench.relay", "Relay", BytesMarshaller.Instance, BytesMarshaller.Instance);

    public static readonly Method<byte[], byte[]> RelayDetached = new("bench.relay", "RelayDetached", BytesMarshaller.Instance, BytesMarshaller.Instance);

    /// <summary>
    /// What a two-hop call carries: a deadline, a routing tag and a chain header, which the server's onward call
    /// inherits (Relay) or leaves behind (RelayDetached).
    /// </summary>
    private static readonly CallOptions RelayOptions = new()
    {
        Timeout = TimeSpan.FromSeconds(30),
        Headers = new Metadata().Add("lane", "canary", MetadataEntryKind.Tag).Add("tenant", "acme", MetadataEntryKind.ChainHeader),
    };

    public static FittenChannel CreateFittenChannel(LoadOptions options)
    {
        var channelOptions = new FittenChannelOptions();
        if (options.Connections is { } connections)
        {
            channelOptions.ConnectionsPerEndpoint = connections;
        }

        var policy = channelOptions.Policy;
        switch (options.Policy)
        {
            case "bare":
                policy.Retry.MaxAttempts = 1;
                break;
            case "full":
                policy.Timeout = TimeSpan.FromSeconds(10);
                policy.Retry.MaxAttempts = 3;
                policy.CircuitBreaker.Enabled = true;
                policy.CircuitBreaker.SlowCallThreshold = TimeSpan.FromSeconds(1);
                break;
        }

        return new FittenChannel(new IPEndPoint(IPAddress.Loopback, options.Port), channelOptions);
    }

    /// <summary>The echo declared idempotent (the server does not care), so the hedge target may hedge it.</summary>
    public static readonly Method<byte[], byte[]> IdempotentEcho = new("bench.echo", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

    /// <summary>
    /// The hedge target's client: a ServiceChannel over the given ports (one of them slow), round robin so a third of
    /// the calls meet the slow one whatever its latency says, outlier ejection off; the echo hedges or not.
    /// </summary>
    public static async Task<ServiceChannel> CreateHedgingChannelAsync(LoadOptions options)
    {
        var registry = new Fitten.Discovery.InProcessRegistry();
        foreach (int port in options.Ports)
        {
            await registry.RegisterAsync(new Fitten.Discovery.ServiceInstance("bench.echo", "127.0.0.1", port));
        }

        var channelOptions = new ServiceChannelOptions { LoadBalancingPolicy = Fitten.LoadBalancing.LoadBalancingPolicies.RoundRobin };
        channelOptions.OutlierDetection.Enabled = false;
        channelOptions.Channel.Policy.Hedging.Enabled = options.Hedging;
        channelOptions.Channel.Policy.Hedging.Delay = TimeSpan.FromMilliseconds(options.HedgeDelayMs);
        channelOptions.Channel.Policy.RetryBudget.Enabled = false; // backups on every slow call: the effect itself is measured
        return new ServiceChannel("bench.echo", registry, channelOptions);
    }

    public static async Task RunHedgeAsync(ServiceChannel channel, LoadRun run, int caller, int payloadSize)
    {
        byte[] request = Payload(payloadSize, caller);
        while (run.Phase != LoadRun.Stop)
        {
            long start = Stopwatch.GetTimestamp();
            byte[] response = await channel.InvokeAsync(IdempotentEcho, request);
            run.Record(caller, start, Stopwatch.GetTimestamp());
            Check(response.Length, payloadSize);
        }
    }

    public static GrpcChannel CreateGrpcChannel(LoadOptions options)
    {
        // grpc-dotnet's documented tuning for high load: one channel shared by all callers, more than one HTTP/2
        // connection once a connection reaches the server's stream limit, no idle teardown during the run.
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = options.GrpcMultipleConnections,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        return GrpcChannel.ForAddress($"http://127.0.0.1:{options.Port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static async Task RunFittenAsync(FittenChannel channel, LoadRun run, int caller, int payloadSize)
    {
        byte[] request = Payload(payloadSize, caller);
        while (run.Phase != LoadRun.Stop)
        {
            long start = Stopwatch.GetTimestamp();
            byte[] response = await channel.InvokeAsync(Echo, request);
            run.Record(caller, start, Stopwatch.GetTimestamp());
            Check(response.Length, payloadSize);
        }
    }

    /// <summary>Two hops: this process → the server's relay method → the server's echo, with a deadline and chain entries.</summary>
    public static async Task RunRelayAsync(FittenChannel channel, Method<byte[], byte[]> method, LoadRun run, int caller, int payloadSize)
    {
        byte[] request = Payload(payloadSize, caller);
        while (run.Phase != LoadRun.Stop)
        {
            long start = Stopwatch.GetTimestamp();
            byte[] response = await channel.InvokeAsync(method, request, RelayOptions);
            run.Record(caller, start, Stopwatch.GetTimestamp());
            Check(response.Length, payloadSize);
        }
    }

    /// <summary>The same echo through the generated client of <see cref="Contracts.IEchoContract"/> (MemoryPack-encoded).</summary>
    public static async Task RunContractAsync(Contracts.IEchoContract client, LoadRun run, int caller, int payloadSize)
    {
        byte[] request = Payload(payloadSize, caller);
        while (run.Phase != LoadRun.Stop)
        {
            long start = Stopwatch.GetTimestamp();
            byte[] response = await client.EchoAsync(request);
            run.Record(caller, start, Stopwatch.GetTimestamp());
            Check(response.Length, payloadSize);
        }
    }

    public static async Task RunGrpcAsync(EchoService.EchoServiceClient client, LoadRun run, int caller, int payloadSize)
    {
        var request = new Proto.Payload { Data = ByteString.CopyFrom(Payload(payloadSize, caller)) };
        while (run.Phase != LoadRun.Stop)
        {
            long start = Stopwatch.GetTimestamp();
            var response = await client.EchoAsync(request);
            run.Record(caller, start, Stopwatch.GetTimestamp());
            Check(response.Data.Length, payloadSize);
        }
    }

    /// <summary>
    /// Bytes one decoded response message costs (the user's DTO, which P4 does not count), measured by decoding one
    /// the way each stack does: Fitten's bytes marshaller copies to a new array, grpc-dotnet parses a protobuf
    /// message from a ReadOnlySequence.
    /// </summary>
    public static long MessageBytes(string target, int payloadSize)
    {
        byte[] wire = target is not "grpc" ? Payload(payloadSize, 0) : new Proto.Payload { Data = ByteString.CopyFrom(Payload(payloadSize, 0)) }.ToByteArray();
        var sequence = new ReadOnlySequence<byte>(wire);
        object? sink = null;
        for (int i = 0; i < 2; i++)
        {
            // The first round pays for JIT and static set-up; the second is the steady-state cost.
            long before = GC.GetAllocatedBytesForCurrentThread();
            sink = target is not "grpc" ? BytesMarshaller.Instance.Deserialize(wire) : Proto.Payload.Parser.ParseFrom(sequence);
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (i == 1)
            {
                GC.KeepAlive(sink);
                return after - before;
            }
        }

        return 0;
    }

    private static byte[] Payload(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Check(int length, int expected)
    {
        if (length != expected)
        {
            throw new InvalidOperationException($"Echo returned {length} bytes, expected {expected}.");
        }
    }
}
