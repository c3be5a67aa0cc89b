namespace Fitten.Resilience;

/// <summary>The state of a circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls go through; failures and slow calls are counted.</summary>
    Closed,

    /// <summary>Calls fail at once, not processed, until the break ends.</summary>
    Open,

    /// <summary>The break ended: a few probe calls go through, the rest fail at once, until the probes decide.</summary>
    HalfOpen,
}
