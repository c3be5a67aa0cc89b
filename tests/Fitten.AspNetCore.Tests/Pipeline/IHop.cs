using MemoryPack;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>A test contract whose handlers report what they see of the call being served, and call onward.</summary>
[FittenService("test.hop")]
public interface IHop
{
    /// <summary>What this handler sees: the ambient call, its deadline, metadata and caller.</summary>
    [HttpPost("/hop/inspect")]
    ValueTask<HopReport> InspectAsync(CancellationToken cancellationToken = default);

    /// <summary>Calls the next hop's Inspect and returns its report (or the next hop's Sleep, when asked to sleep).</summary>
    [HttpPost("/hop/relay")]
    ValueTask<HopReport> RelayAsync(int sleepMilliseconds, bool ignoreContext, CancellationToken cancellationToken = default);

    /// <summary>Sleeps, cancellably; reports what it saw.</summary>
    ValueTask<HopReport> SleepAsync(int milliseconds, CancellationToken cancellationToken = default);

    /// <summary>Sleeps like Sleep, under a timeout the contract declares (300 ms).</summary>
    [FittenMethod(TimeoutMilliseconds = 300)]
    ValueTask<HopReport> NapAsync(int milliseconds, CancellationToken cancellationToken = default);
}

/// <summary>What a handler saw of its call.</summary>
[MemoryPackable]
public sealed partial record HopReport(
    string Method, string? Caller, double RemainingMilliseconds, Dictionary<string, string> Tags, Dictionary<string, string> ChainHeaders,
    Dictionary<string, string> Headers);
