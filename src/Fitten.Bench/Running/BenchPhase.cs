namespace Fitten.Bench.Running;

/// <summary>Where a run is.</summary>
public enum BenchPhase
{
    /// <summary>Sending warm-up load that will not be measured.</summary>
    Warmup,

    /// <summary>Measuring.</summary>
    Measuring,

    /// <summary>No new requests; waiting for the last answers.</summary>
    Draining,

    /// <summary>Finished.</summary>
    Completed,
}
