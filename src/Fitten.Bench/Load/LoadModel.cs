namespace Fitten.Bench.Load;

/// <summary>How load is generated.</summary>
public enum LoadModel
{
    /// <summary>
    /// A fixed number of workers, each sending its next request only once the previous one answered. Throughput
    /// follows the server: a slow server is sent less, so a stall shows as lost throughput, not as latency.
    /// </summary>
    Closed,

    /// <summary>
    /// Requests arrive at a set rate whatever the server does, as users do. Latency is measured from each
    /// request's intended send time, so time a request spent waiting for a free connection counts
    /// (coordinated-omission correction, as in wrk2).
    /// </summary>
    Open,
}
