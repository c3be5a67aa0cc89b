using Fitten.Resilience;

namespace Fitten.Tests.Resilience;

public sealed class RetryBudgetTests
{
    [Fact]
    public void TryRetry_AllowsTheRatioOfCallsPlusTheFloor_ThenRefuses()
    {
        var budget = new RetryBudget(new RetryBudgetOptions { Ratio = 0.2, MinRetriesPerSecond = 1 });
        for (int i = 0; i < 100; i++)
        {
            budget.OnCall();
        }

        int allowed = 0;
        while (allowed < 1000 && budget.TryRetry())
        {
            allowed++;
        }

        // 0.2 × 100 + 1/s × 10 s; a second boundary crossed mid-test can only clear counts, never add retries beyond that.
        Assert.InRange(allowed, 20, 30);
    }

    [Fact]
    public void TryRetry_NoFloorNoCalls_Refused()
        => Assert.False(new RetryBudget(new RetryBudgetOptions { MinRetriesPerSecond = 0 }).TryRetry());
}
