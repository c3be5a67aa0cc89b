// The load half of the RPC benchmark (bench/run-rpc.sh): a closed loop of C callers calling one echo target back to
// back, latency per caller in an HdrHistogram, then calls/s, p50/p99/p999 and bytes allocated per call on both
// sides. Run: dotnet Fitten.Benchmarks.Load.dll --target fitten|contract|grpc --port P --stats-port S --concurrency C
//             --duration SECONDS --warmup SECONDS --payload BYTES [--connections N] [--grpc-multiple-connections B]
//             [--policy default|bare|full]
using System.Diagnostics;
using System.Globalization;
using Fitten.Benchmarks.Load;
using Fitten.Benchmarks.Proto;

var options = LoadOptions.Parse(args);
var run = new LoadRun(options.Concurrency);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

await using var fitten = options.Target is "fitten" or "contract" or "relay" or "relay-detached" ? Callers.CreateFittenChannel(options) : null;
var contract = options.Target == "contract" ? Fitten.FittenContracts.CreateClient<Fitten.Benchmarks.Contracts.IEchoContract>(fitten!) : null;
using var grpc = options.Target == "grpc" ? Callers.CreateGrpcChannel(options) : null;
var grpcClient = grpc is null ? null : new EchoService.EchoServiceClient(grpc);
await using var hedge = options.Target == "hedge" ? await Callers.CreateHedgingChannelAsync(options) : null;

var callers = new Task[options.Concurrency];
for (int i = 0; i < callers.Length; i++)
{
    int caller = i;
    // Task.Run: every caller starts on the thread pool, as independent clients would, not inline on this thread.
    callers[i] = Task.Run(() => hedge is not null
        ? Callers.RunHedgeAsync(hedge, run, caller, options.Payload)
        : contract is not null
        ? Callers.RunContractAsync(contract, run, caller, options.Payload)
        : options.Target is "relay" or "relay-detached"
        ? Callers.RunRelayAsync(fitten!, options.Target == "relay" ? Callers.Relay : Callers.RelayDetached, run, caller, options.Payload)
        : fitten is not null
        ? Callers.RunFittenAsync(fitten, run, caller, options.Payload)
        : Callers.RunGrpcAsync(grpcClient!, run, caller, options.Payload));
}

await Task.WhenAny(Task.WhenAll(callers), Task.Delay(options.Warmup));
ThrowIfCallersFailed(callers);

// Order matters: the server is read before the client's counters (its HTTP request must not count on the client),
// and after the callers stop, the client is read before the server for the same reason.
var serverBefore = await ServerStats.ReadAsync(http, options.StatsPort);
long clientBytesBefore = GC.GetTotalAllocatedBytes(precise: true);
int[] clientGcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
long completedBefore = run.Completed;
long measureStart = Stopwatch.GetTimestamp();
run.Phase = LoadRun.Measure;

await Task.WhenAny(Task.WhenAll(callers), Task.Delay(options.Duration));
run.Phase = LoadRun.Stop;
double seconds = Stopwatch.GetElapsedTime(measureStart).TotalSeconds;
// Bounded: a call that never completes is a bug to report, not a reason to hang the whole benchmark.
try
{
    await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));
}
catch (TimeoutException)
{
    int stuck = callers.Count(c => !c.IsCompleted);
    await Console.Error.WriteLineAsync($"{stuck} of {callers.Length} callers still waiting for a call 30 s after the run ended.");
    return 3;
}

long completedAfter = run.Completed;
long clientBytesAfter = GC.GetTotalAllocatedBytes(precise: true);
int[] clientGcAfter = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
var serverAfter = await ServerStats.ReadAsync(http, options.StatsPort);

var latencies = run.Merge();
long calls = completedAfter - completedBefore;
double clientPerCall = (double)(clientBytesAfter - clientBytesBefore) / calls;
double serverPerCall = (double)(serverAfter.AllocatedBytes - serverBefore.AllocatedBytes) / calls;
long messageBytes = Callers.MessageBytes(options.Target, options.Payload);
double Us(double percentile) => latencies.GetValueAtPercentile(percentile) / 1000.0;

string settings = options.Target is not "grpc"
    ? $"FittenChannel ConnectionsPerEndpoint={(options.Connections?.ToString(CultureInfo.InvariantCulture) ?? "default")}"
    : $"GrpcChannel SocketsHttpHandler EnableMultipleHttp2Connections={options.GrpcMultipleConnections}";
Console.WriteLine(FormattableString.Invariant(
    $"{options.Target} c={options.Concurrency} payload={options.Payload} B ({settings}), {seconds:F1} s measured after {options.Warmup.TotalSeconds:F0} s warm-up"));
Console.WriteLine(FormattableString.Invariant(
    $"  {latencies.TotalCount / seconds:F0} calls/s   p50 {Us(50):F1} us   p99 {Us(99):F1} us   p99.9 {Us(99.9):F1} us   max {Us(100):F1} us"));
Console.WriteLine(FormattableString.Invariant(
    $"  allocated per call: client {clientPerCall:F0} B, server {serverPerCall:F0} B (each includes one decoded {messageBytes} B message, the user's DTO)"));
Console.WriteLine(FormattableString.Invariant(
    $"  GCs gen0/1/2: client {clientGcAfter[0] - clientGcBefore[0]}/{clientGcAfter[1] - clientGcBefore[1]}/{clientGcAfter[2] - clientGcBefore[2]}, server {serverAfter.Gen0 - serverBefore.Gen0}/{serverAfter.Gen1 - serverBefore.Gen1}/{serverAfter.Gen2 - serverBefore.Gen2}"));
// One line for bench/run-rpc.sh to parse: key=value, invariant culture, no units.
Console.WriteLine(FormattableString.Invariant(
    $"RESULT target={options.Target} policy={options.Policy} hedging={options.Hedging} concurrency={options.Concurrency} calls_per_s={latencies.TotalCount / seconds:F0} p50_us={Us(50):F1} p99_us={Us(99):F1} p999_us={Us(99.9):F1} client_bytes={clientPerCall:F0} server_bytes={serverPerCall:F0} message_bytes={messageBytes}"));
return 0;

static void ThrowIfCallersFailed(Task[] callers)
{
    foreach (var caller in callers)
    {
        if (caller.IsFaulted)
        {
            caller.GetAwaiter().GetResult();
        }
    }
}
