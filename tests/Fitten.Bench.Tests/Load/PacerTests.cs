using System.Diagnostics;
using Fitten.Bench.Load;
using Fitten.Bench.Load.Internal;

namespace Fitten.Bench.Tests.Load;

public sealed class PacerTests
{
    [Fact]
    public void OpenPacer_ConstantRate_SlotsEvenlySpacedAndBounded()
    {
        var timeline = new Timeline(0, TimeSpan.Zero, LoadProfile.Open(100), TimeSpan.FromSeconds(1));
        var pacer = Pacer.Create(LoadModel.Open, timeline);
        var step = Stopwatch.Frequency / 100;

        var decisions = new List<PaceDecision>();
        for (var i = 0; i < 200; i++)
        {
            var d = pacer.Next(0, 0);
            if (d.Action == PaceAction.Stop)
            {
                break;
            }

            decisions.Add(d);
        }

        Assert.Equal(100, decisions.Count);
        Assert.Equal(0, decisions[0].Timestamp);
        Assert.InRange(decisions[50].Timestamp, (50 * step) - 1, (50 * step) + 1);
    }

    [Fact]
    public void ClosedPacer_LadderStage_ExtraWorkersWaitForNextStage()
    {
        var timeline = new Timeline(0, TimeSpan.Zero, LoadProfile.ParseStages("1s:2c,1s:4c"), null);
        var pacer = Pacer.Create(LoadModel.Closed, timeline);

        Assert.Equal(PaceAction.Go, pacer.Next(1, 10).Action);
        var wait = pacer.Next(3, 10);
        Assert.Equal(PaceAction.Wait, wait.Action);
        Assert.Equal(Stopwatch.Frequency, wait.Timestamp);
        Assert.Equal(PaceAction.Go, pacer.Next(3, Stopwatch.Frequency + 1).Action);
        Assert.Equal(PaceAction.Stop, pacer.Next(0, 2 * Stopwatch.Frequency).Action);
    }
}
