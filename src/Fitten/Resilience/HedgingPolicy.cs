using System.Globalization;

namespace Fitten.Resilience;

/// <summary>A method's hedging with every setting resolved (see <see cref="HedgingOptions"/>).</summary>
public sealed record HedgingPolicy
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 2;

    /// <summary>The fixed delay before the next attempt (also used until the method has enough recent calls for a quantile).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The latency quantile the delay follows, or null for the fixed delay.</summary>
    public double? DelayQuantile { get; init; }

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"hedging: up to {MaxAttempts} attempts, the next after {(DelayQuantile is { } q ? $"the p{q * 100:0.#} latency (until known, {Delay.TotalMilliseconds:0.###} ms)" : $"{Delay.TotalMilliseconds:0.###} ms")} on another instance");
}
