namespace Fitten.Resilience;

/// <summary>
/// Backup requests for an idempotent method (<see cref="CallPolicyOptions.Hedging"/>): when the first attempt has not
/// answered after a delay, a second goes to another instance; the first answer wins and the others are cancelled on
/// the wire. Cuts the tail latency a slow instance causes, at the price of extra calls (which draw on the retry
/// budget). A method that hedges does not also retry: a failed attempt starts the next hedge at once instead.
/// Every property may be left unset; a method's unset value comes from its service's, then the default.
/// </summary>
public sealed class HedgingOptions
{
    /// <summary>Whether the method hedges. Default: false. Ignored (and said so in the policy) for a method that is not idempotent.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Attempts a call may make in all, the first included. Default: 2 (one backup). Range 2 to 5.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>
    /// How long the first attempt may go unanswered before the next is sent, when <see cref="DelayQuantile"/> is unset
    /// or the method has too few recent calls for it. Default: 100 ms. Range 0 to 1 min.
    /// </summary>
    public TimeSpan? Delay { get; set; }

    /// <summary>
    /// Send the next attempt once the call has taken longer than this quantile of the method's recent latencies
    /// (Kitex's backup request at the observed p99: 0.99, or 0.95): adapts to the method's normal speed. Default: none
    /// (the fixed <see cref="Delay"/>). Range 0.5 to 0.999.
    /// </summary>
    public double? DelayQuantile { get; set; }

    internal void Validate(string path)
    {
        path += "Hedging:";
        if (MaxAttempts is { } attempts and (< 2 or > 5))
        {
            throw new ArgumentOutOfRangeException(path + nameof(MaxAttempts), attempts, "Hedging:MaxAttempts must be between 2 and 5.");
        }

        if (Delay is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(1)))
        {
            throw new ArgumentOutOfRangeException(path + nameof(Delay), delay, "Hedging:Delay must be between 0 and 1 min.");
        }

        if (DelayQuantile is { } q && !(q is >= 0.5 and <= 0.999))
        {
            throw new ArgumentOutOfRangeException(path + nameof(DelayQuantile), q, "Hedging:DelayQuantile must be between 0.5 and 0.999.");
        }
    }
}
