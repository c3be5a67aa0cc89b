namespace Fitten.Bench.Load.Internal;

/// <summary>A pacer's answer: an action and the timestamp it refers to.</summary>
internal readonly record struct PaceDecision(PaceAction Action, long Timestamp)
{
    public static PaceDecision Stop => new(PaceAction.Stop, 0);
}
