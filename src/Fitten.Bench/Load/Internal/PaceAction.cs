namespace Fitten.Bench.Load.Internal;

/// <summary>What a worker should do next.</summary>
internal enum PaceAction
{
    /// <summary>Send a request intended for <see cref="PaceDecision.Timestamp"/> (wait until then if it is ahead).</summary>
    Go,

    /// <summary>This worker is not needed now (concurrency ladder); check again at <see cref="PaceDecision.Timestamp"/>.</summary>
    Wait,

    /// <summary>The run is over for this worker.</summary>
    Stop,
}
