namespace Fitten.Resilience;

/// <summary>
/// One client's retry budget: counts its calls and retries over the last <see cref="SlidingCounts.WindowSeconds"/>
/// seconds and allows a retry only while retries stay within <c>ratio × calls + floor</c> over that window.
/// Thread-safe and lock-free: a call costs a clock read and one interlocked increment.
/// </summary>
internal sealed class RetryBudget(RetryBudgetOptions options)
{
    private const int Calls = 0;
    private const int Retries = 1;

    private readonly double _ratio = options.Ratio;
    private readonly int _floor = options.MinRetriesPerSecond * SlidingCounts.WindowSeconds;
    private readonly SlidingCounts _counts = new(2);

    /// <summary>Counts a call (its first attempt).</summary>
    public void OnCall() => _counts.Add(Calls);

    /// <summary>Takes one retry from the budget; false when the budget is spent (the retry must not be made).</summary>
    public bool TryRetry()
    {
        long second = SlidingCounts.Now;

        // Two retries racing for the last unit may both pass: the budget bounds load, it is not a ledger.
        if (_counts.Sum(Retries, second) >= (_ratio * _counts.Sum(Calls, second)) + _floor)
        {
            return false;
        }

        _counts.Add(Retries, second);
        return true;
    }
}
