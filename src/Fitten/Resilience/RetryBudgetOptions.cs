namespace Fitten.Resilience;

/// <summary>
/// The retry budget of one client (one service): however many calls fail, retries stay below a share of the calls
/// made over the last 10 seconds plus a small floor, so a failing downstream sees at most that much extra load
/// instead of a retry storm (Envoy's retry budgets; Kitex's retry breaker). On by default.
/// </summary>
public sealed class RetryBudgetOptions
{
    /// <summary>Whether the budget applies. Default: true. Turning it off lets every call make all its attempts.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Retries allowed as a share of calls (first attempts) over the window. Default: 0.2, Envoy's 20%. Range 0 to 1.</summary>
    public double Ratio { get; set; } = 0.2;

    /// <summary>
    /// Retries allowed per second on top of the ratio, so a client that makes few calls can still retry one.
    /// Default: 3 (Envoy's minimum of 3). Range 0 to 1000.
    /// </summary>
    public int MinRetriesPerSecond { get; set; } = 3;

    internal void Validate()
    {
        if (!(Ratio is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, "RetryBudget:Ratio must be between 0 and 1.");
        }

        if (MinRetriesPerSecond is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MinRetriesPerSecond), MinRetriesPerSecond, "RetryBudget:MinRetriesPerSecond must be between 0 and 1000.");
        }
    }
}
