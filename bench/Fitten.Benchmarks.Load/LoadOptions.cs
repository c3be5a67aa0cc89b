using System.Globalization;

namespace Fitten.Benchmarks.Load;

/// <summary>The load process's command line. Every option has the default bench/run-rpc.sh relies on.</summary>
internal sealed record LoadOptions
{
    public string Target { get; init; } = "fitten";

    public int Port { get; init; } = 5301;

    public int StatsPort { get; init; } = 5303;

    public int Concurrency { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public int Payload { get; init; } = 256;

    /// <summary>Fitten's ConnectionsPerEndpoint; null keeps the channel's default (the setting under test).</summary>
    public int? Connections { get; init; }

    /// <summary>
    /// Fitten's client policy: "default" (the defaults: three attempts within the retry budget), "bare" (one attempt,
    /// no timeout: the pipeline with no governance stage) or "full" (a timeout, retries with the budget and the method
    /// circuit breaker with a slow-call threshold: P6's stack; the instance breaker needs a ServiceChannel).
    /// </summary>
    public string Policy { get; init; } = "default";

    /// <summary>Target "hedge": the instances' ports (one of them slow), balanced round robin by a ServiceChannel.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>Target "hedge": whether the idempotent echo hedges (a backup after <see cref="HedgeDelayMs"/>).</summary>
    public bool Hedging { get; init; }

    /// <summary>Target "hedge": the backup's delay in ms.</summary>
    public int HedgeDelayMs { get; init; } = 2;

    /// <summary>gRPC: let SocketsHttpHandler open more HTTP/2 connections once one hits the stream limit.</summary>
    public bool GrpcMultipleConnections { get; init; } = true;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.", nameof(args));
            options = name switch
            {
                "--target" when value is "fitten" or "grpc" or "contract" or "relay" or "relay-detached" or "hedge" => options with { Target = value },
                "--ports" => options with { Ports = [.. value.Split(',').Select(p => Int(name, p, 1, 65535))] },
                "--hedging" => options with { Hedging = bool.Parse(value) },
                "--hedge-delay-ms" => options with { HedgeDelayMs = Int(name, value, 0, 60_000) },
                "--port" => options with { Port = Int(name, value, 1, 65535) },
                "--stats-port" => options with { StatsPort = Int(name, value, 1, 65535) },
                "--concurrency" => options with { Concurrency = Int(name, value, 1, 4096) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Int(name, value, 1, 3600)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Int(name, value, 0, 3600)) },
                "--payload" => options with { Payload = Int(name, value, 0, 1024 * 1024) },
                "--connections" => options with { Connections = Int(name, value, 1, 64) },
                "--grpc-multiple-connections" => options with { GrpcMultipleConnections = bool.Parse(value) },
                "--policy" when value is "default" or "bare" or "full" => options with { Policy = value },
                _ => throw new ArgumentException($"Unknown option or value: {name} {value}. Targets: fitten, contract, grpc, relay, relay-detached, hedge.", nameof(args)),
            };
        }

        return options;
    }

    private static int Int(string name, string value, int min, int max)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.", nameof(name));
}
