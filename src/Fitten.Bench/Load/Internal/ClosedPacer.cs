namespace Fitten.Bench.Load.Internal;

/// <summary>
/// Closed model: each active worker sends as soon as its previous request answered. For a concurrency ladder,
/// workers above the current stage's concurrency sit out until the stage changes.
/// </summary>
internal sealed class ClosedPacer(Timeline timeline) : Pacer(timeline)
{
    public override PaceDecision Next(int worker, long now)
    {
        var t = Timeline;
        if (now >= t.End)
        {
            return PaceDecision.Stop;
        }

        var stage = t.StageAt(now);
        if (worker < t.Values[stage])
        {
            return new PaceDecision(PaceAction.Go, now);
        }

        // Not needed in this stage: wake at the next stage boundary (the warm-up counts as stage 0).
        var next = now < t.MeasureStart ? t.MeasureStart : t.StageStarts[stage + 1];
        return next >= t.End ? PaceDecision.Stop : new PaceDecision(PaceAction.Wait, next);
    }
}
