namespace Fitten.Health;

/// <summary>
/// Passive health checking of a service's instances, after Envoy's outlier detection: an instance that refuses
/// connections, or fails <see cref="ConsecutiveFailures"/> calls in a row, is ejected from load balancing for
/// <see cref="BaseEjectionTime"/> × the number of its recent ejections (capped at <see cref="MaxEjectionTime"/>),
/// then gets calls again — the next call is its probe. Checked when the client is created.
/// </summary>
public sealed class OutlierDetectionOptions
{
    /// <summary>Whether instances are ejected at all. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Calls in a row that ended UNAVAILABLE, INTERNAL, UNKNOWN or DATA_LOSS (server failures, Envoy's "5xx")
    /// that eject an instance. A refused connection ejects at once: nothing listens there. Default: 5, Envoy's
    /// consecutive_5xx. Range 1 to 1,000.
    /// </summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>First ejection's length; the n-th ejection in a row lasts n times this. Default: 30 s, Envoy's base_ejection_time.</summary>
    public TimeSpan BaseEjectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest ejection. Also how long an instance must stay un-ejected before its ejection count starts over.
    /// Default: 300 s, Envoy's max_ejection_time. At least <see cref="BaseEjectionTime"/>.
    /// </summary>
    public TimeSpan MaxEjectionTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Most instances ejected at once, as a percentage of the service's instances, rounded down: with the
    /// default 50, one of two or three, two of four or five. Default: 50 (Envoy's 10 would never eject any of
    /// the two or three instances small services run; at 50 the majority always stays). Range 0 to 100.
    /// </summary>
    public int MaxEjectionPercent { get; set; } = 50;

    /// <summary>Throws when any option is out of range.</summary>
    public void Validate()
    {
        if (ConsecutiveFailures is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsecutiveFailures), ConsecutiveFailures, "ConsecutiveFailures must be between 1 and 1000.");
        }

        if (BaseEjectionTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseEjectionTime), BaseEjectionTime, "BaseEjectionTime must be positive.");
        }

        if (MaxEjectionTime < BaseEjectionTime)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEjectionTime), MaxEjectionTime, "MaxEjectionTime must not be below BaseEjectionTime.");
        }

        if (MaxEjectionPercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEjectionPercent), MaxEjectionPercent, "MaxEjectionPercent must be between 0 and 100.");
        }
    }
}
