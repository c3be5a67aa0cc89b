using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The Shop sample as its own process (<c>dotnet Shop.dll ARGS</c>, the copy next to the tests), ready once its
/// banner names the address it listens on. Stopped with SIGTERM, as a service manager would, then killed if it
/// does not exit in time.
/// </summary>
internal sealed partial class ShopProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ShopProcess(string service, IEnumerable<string> args)
    {
        Service = service;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shop.dll"));
        start.ArgumentList.Add("--service");
        start.ArgumentList.Add(service);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _address.TrySetException(new InvalidOperationException($"{service} exited early:\n{Output}"));
        _process.EnableRaisingEvents = true;
    }

    /// <summary>The service it runs.</summary>
    public string Service { get; }

    /// <summary>"127.0.0.1:PORT", from the banner.</summary>
    public string Address => _address.Task.Result;

    /// <summary>Exit code once stopped; null before.</summary>
    public int? ExitCode { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="service"/> with <paramref name="args"/>, and waits for its banner.</summary>
    public static async Task<ShopProcess> StartAsync(string service, params string[] args)
    {
        var process = new ShopProcess(service, args);
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        try
        {
            await process._address.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return process;
    }

    /// <summary>Starts several at once; when any fails to start, stops those that did and throws.</summary>
    public static async Task<ShopProcess[]> StartAllAsync(params (string Service, string[] Args)[] starts)
    {
        var starting = starts.Select(s => StartAsync(s.Service, s.Args)).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>SIGTERM, then waits for the exit (killing it after <see cref="StopTimeout"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (ExitCode is not null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, Sigterm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
        }

        ExitCode = _process.ExitCode;
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Banner().Match(line) is { Success: true } match && match.Groups[1].Value == Service)
        {
            _address.TrySetResult(match.Groups[2].Value);
        }
    }

    [GeneratedRegex(@"^\s+(\w+)\s+http://(\S+)\s+\(")]
    private static partial Regex Banner();

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
