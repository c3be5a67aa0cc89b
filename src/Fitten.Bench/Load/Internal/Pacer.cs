namespace Fitten.Bench.Load.Internal;

/// <summary>
/// Decides when each worker sends. The two models differ only here: a closed pacer says "now" to every active
/// worker; an open pacer hands out slots of a fixed schedule, whatever the server does.
/// </summary>
internal abstract class Pacer
{
    protected Pacer(Timeline timeline) => Timeline = timeline;

    public Timeline Timeline { get; }

    public abstract PaceDecision Next(int worker, long now);

    public static Pacer Create(LoadModel model, Timeline timeline) =>
        model == LoadModel.Closed ? new ClosedPacer(timeline) : new OpenPacer(timeline);
}
