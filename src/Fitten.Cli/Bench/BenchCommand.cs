using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Fitten.Bench.Load;
using Fitten.Bench.Thresholds;

namespace Fitten.Cli.Bench;

/// <summary>
/// <c>fitten bench</c>: the options and their validation. Everything that can be checked without sending a
/// request is checked here, so a bad command line fails with exit code 1 and a message before any load.
/// </summary>
internal static partial class BenchCommand
{
    private const string Examples = """

        Examples:
          fitten bench http://127.0.0.1:8080/ping -c 64 -d 10s
              closed model: 64 workers, each sending its next request when the last one answered
          fitten bench http://127.0.0.1:8080/ping -r 5000 -d 30s
              open model: 5000 requests/s on a fixed schedule; latency counts from each intended send time
          fitten bench http://127.0.0.1:8080/ping --stages 10s:1000rps,30s:5000rps,10s:0rps
              a staircase of rates to find the knee (or of concurrencies: --stages 10s:8c,10s:64c)
          fitten bench http://127.0.0.1:8080/orders -m POST -H 'Content-Type: application/json' --body '{"id":1}' -n 10000
          fitten bench http://127.0.0.1:8080/ping -r 2000 --json > run.json
          fitten bench http://127.0.0.1:8080/ping -r 2000 --baseline run.json --html report.html --fail-if 'p99>5ms' --fail-if 'errors>0.1%'

        Exit codes: 0 ok, 1 invalid arguments, 2 target unreachable, 3 a --fail-if threshold was breached,
        130 interrupted by Ctrl+C (what was measured until then is still reported).
        """;

    internal static readonly Argument<string> Target = new("target")
    {
        Description = "What to load: http://host:port/path, or rpc://host:port/service/method for Fitten RPC.",
    };

    internal static readonly Option<int?> Concurrency = new("--concurrency", "-c")
    {
        Description = "Closed model: workers, each waiting for its answer (default 1). Open model: connections carrying the schedule (default 64). Example: -c 64",
        HelpName = "N",
    };

    internal static readonly Option<double?> Rate = new("--rate", "-r")
    {
        Description = "Open model: requests per second at a constant arrival rate; latency is measured from each request's intended send time (coordinated-omission corrected). Example: -r 5000",
        HelpName = "RPS",
    };

    internal static readonly Option<string?> Stages = new("--stages")
    {
        Description = "A staircase instead of -r/-c and -d: DURATION:RATErps,... (open) or DURATION:Nc,... (closed). Example: --stages 10s:1000rps,30s:5000rps,10s:0rps",
        HelpName = "LIST",
    };

    internal static readonly Option<string> Duration = new("--duration", "-d")
    {
        Description = "How long to measure, after the warm-up (default 10s unless -n is given). Example: -d 30s",
        HelpName = "TIME",
    };

    internal static readonly Option<long?> Requests = new("--requests", "-n")
    {
        Description = "Stop after this many measured requests. Example: -n 100000",
        HelpName = "N",
    };

    internal static readonly Option<string> Warmup = new("--warmup", "-w")
    {
        Description = "Load sent before measuring and left out of every figure (JIT, connection setup). Example: -w 0s",
        HelpName = "TIME",
        DefaultValueFactory = _ => "1s",
    };

    internal static readonly Option<string> Method = new("--method", "-m")
    {
        Description = "HTTP method. Example: -m POST",
        DefaultValueFactory = _ => "GET",
    };

    internal static readonly Option<string[]> Headers = new("--header", "-H")
    {
        Description = "A request header, repeatable. Example: -H 'Authorization: Bearer x'",
        HelpName = "NAME: VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    internal static readonly Option<string?> Body = new("--body")
    {
        Description = "HTTP request body as text. Example: --body '{\"id\":1}'",
    };

    internal static readonly Option<FileInfo?> BodyFile = new("--body-file")
    {
        Description = "HTTP request body read from a file. Example: --body-file order.json",
        HelpName = "FILE",
    };

    internal static readonly Option<string?> RpcRequest = new("--request")
    {
        Description = "RPC targets: the request message, sent as its UTF-8 bytes exactly as given (JSON for a JSON method). Example: --request '{\"id\":42}'",
        HelpName = "JSON",
    };

    internal static readonly Option<FileInfo?> RpcRequestFile = new("--request-file")
    {
        Description = "RPC targets: the request message from a file, sent byte for byte. Example: --request-file get.json",
        HelpName = "FILE",
    };

    internal static readonly Option<string> Timeout = new("--timeout")
    {
        Description = "A request with no answer after this long counts as a timeout. Example: --timeout 2s",
        HelpName = "TIME",
        DefaultValueFactory = _ => "10s",
    };

    internal static readonly Option<double> TraceSample = new("--trace-sample")
    {
        Description = "Share of requests (0-1) that carry a sampled W3C traceparent; the report lists the slowest of them. Example: --trace-sample 0.05",
        HelpName = "RATIO",
        DefaultValueFactory = _ => 0.01,
    };

    internal static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as JSON on stdout (requests, errors, duration_s, rps, latency_us{p50,p90,p99,p999,max}, ...). Example: --json > run.json",
    };

    internal static readonly Option<bool> Markdown = new("--markdown")
    {
        Description = "Print the result as Markdown tables on stdout (for PR comments and docs). Example: --markdown >> summary.md",
    };

    internal static readonly Option<FileInfo?> Html = new("--html")
    {
        Description = "Write a self-contained HTML report (latency over time, percentile chart). Example: --html report.html",
        HelpName = "FILE",
    };

    internal static readonly Option<FileInfo?> Baseline = new("--baseline")
    {
        Description = "Compare with an earlier --json result and show the change per figure. Example: --baseline main.json",
        HelpName = "FILE.json",
    };

    internal static readonly Option<string[]> FailIf = new("--fail-if")
    {
        Description = "Exit with code 3 when this holds, repeatable: p50|p90|p99|p999|max|mean >|>=|<|<= TIME, errors>N or N%, late_starts>N or N%, rps<N. Example: --fail-if 'p99>5ms' --fail-if 'errors>0.1%'",
        HelpName = "EXPR",
    };

    internal static readonly Option<bool> NoLive = new("--no-live")
    {
        Description = "No live display: print one plain progress line per second instead (the default when stderr is not a terminal, e.g. in CI). Example: --no-live",
    };

    internal static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress output at all; the result is still printed. Example: -q --json",
    };

    public static Command Create()
    {
        var command = new Command("bench", "Load-test an HTTP endpoint or a Fitten RPC method and report latency percentiles, throughput and errors." + Examples)
        {
            Target, Concurrency, Rate, Stages, Duration, Requests, Warmup, Method, Headers, Body, BodyFile, RpcRequest,
            RpcRequestFile, Timeout, TraceSample, Json, Markdown, Html, Baseline, FailIf, NoLive, Quiet,
        };
        AddValidators(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static void AddValidators(Command command)
    {
        Target.Validators.Add(static result =>
        {
            // Read the token, not the converted value: converting inside an argument validator re-enters validation.
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (TargetParser.Validate(text) is { } error)
            {
                result.AddError(error);
            }
        });
        Concurrency.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int?>() is { } c && (c < 1 || c > 100_000))
            {
                result.AddError($"--concurrency must be between 1 and 100000, got {c}");
            }
        });
        Rate.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<double?>() is { } r && !(r > 0 && !double.IsInfinity(r)))
            {
                result.AddError($"--rate must be a positive number of requests per second, got {r.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        Requests.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<long?>() is { } n && n < 1)
            {
                result.AddError($"--requests must be at least 1, got {n}");
            }
        });
        TraceSample.Validators.Add(static result =>
        {
            var ratio = result.GetValueOrDefault<double>();
            if (!(ratio >= 0 && ratio <= 1))
            {
                result.AddError($"--trace-sample must be between 0 and 1, got {ratio.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        AddDurationValidator(Duration, allowZero: false);
        AddDurationValidator(Warmup, allowZero: true);
        AddDurationValidator(Timeout, allowZero: false);
        Stages.Validators.Add(static result =>
        {
            try
            {
                LoadProfile.ParseStages(result.GetValueOrDefault<string?>() ?? string.Empty);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                result.AddError("--stages: " + ex.Message);
            }
        });
        FailIf.Validators.Add(static result =>
        {
            foreach (var expression in result.GetValueOrDefault<string[]>() ?? [])
            {
                try
                {
                    Threshold.Parse(expression);
                }
                catch (FormatException ex)
                {
                    result.AddError("--fail-if: " + ex.Message);
                }
            }
        });
        command.Validators.Add(static result =>
        {
            var hasStages = result.GetResult(Stages) is not null;
            if (hasStages && result.GetResult(Rate) is not null)
            {
                result.AddError("--stages and --rate cannot be combined: give the rates in the stages");
            }

            if (hasStages && result.GetResult(Duration) is not null)
            {
                result.AddError("--stages and --duration cannot be combined: the stages set the run's length");
            }

            if (result.GetResult(Body) is not null && result.GetResult(BodyFile) is not null)
            {
                result.AddError("--body and --body-file cannot be combined");
            }

            var target = result.GetResult(Target) is { Tokens.Count: > 0 } t ? t.Tokens[0].Value : string.Empty;
            if (target.StartsWith("http", StringComparison.OrdinalIgnoreCase) && (result.GetResult(RpcRequest) is not null || result.GetResult(RpcRequestFile) is not null))
            {
                result.AddError("--request and --request-file are for rpc:// targets; an HTTP body is given with --body or --body-file");
            }

            if (result.GetResult(Json) is not null && result.GetResult(Markdown) is not null)
            {
                result.AddError("--json and --markdown both print on stdout: choose one");
            }
        });
    }

    private static void AddDurationValidator(Option<string> option, bool allowZero) =>
        option.Validators.Add(result => CheckDuration(result, option.Name, allowZero));

    private static void CheckDuration(OptionResult result, string name, bool allowZero)
    {
        var text = result.GetValueOrDefault<string?>();
        if (!DurationParser.TryParse(text, out var value) || (!allowZero && value == TimeSpan.Zero))
        {
            result.AddError($"{name} must be a {(allowZero ? "non-negative" : "positive")} duration such as 500ms, 10s or 2m, got '{text}'");
        }
    }
}
