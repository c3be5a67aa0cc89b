using Fitten.Internal;

namespace Fitten.Tests.Internal;

public class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void Nominal_GrowsBy1Point6PerFailure_UpToTheMax()
    {
        var backoff = new Backoff(Initial, Max);

        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Nominal(1));
        Assert.Equal(TimeSpan.FromMilliseconds(160), backoff.Nominal(2));
        Assert.Equal(TimeSpan.FromMilliseconds(256), backoff.Nominal(3));
        Assert.Equal(TimeSpan.FromMilliseconds(409.6), backoff.Nominal(4));
        Assert.Equal(Max, backoff.Nominal(10));
        Assert.Equal(Max, backoff.Nominal(int.MaxValue));
    }

    [Fact]
    public void Delay_SampleSpansPlusMinus20Percent()
    {
        var backoff = new Backoff(Initial, Max);

        Assert.Equal(TimeSpan.FromMilliseconds(128), backoff.Delay(2, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(160), backoff.Delay(2, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(192), backoff.Delay(2, 1));
    }

    [Fact]
    public void Delay_AtTheCap_NeverExceedsTheMax()
    {
        var backoff = new Backoff(Initial, Max);

        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Delay(20, 0));
        Assert.Equal(Max, backoff.Delay(20, 0.5));
        Assert.Equal(Max, backoff.Delay(20, 1));
    }

    [Fact]
    public void Next_Random_StaysWithinTheJitterRangeAndSpreads()
    {
        var backoff = new Backoff(Initial, Max);
        var seen = new HashSet<TimeSpan>();
        for (int failures = 1; failures <= 200; failures++)
        {
            var delay = backoff.Next();
            var nominal = backoff.Nominal(failures);
            Assert.InRange(delay, nominal * 0.8, Max);
            Assert.InRange(delay, TimeSpan.Zero, nominal * 1.2);
            seen.Add(delay);
        }

        // Jitter really varies the waits: at the cap they are not all the maximum.
        Assert.True(seen.Count > 10, $"only {seen.Count} distinct waits");
    }

    [Fact]
    public void Reset_StartsOverFromTheInitialDelay()
    {
        var backoff = new Backoff(Initial, Max);
        backoff.Next(0.5);
        backoff.Next(0.5);
        Assert.Equal(TimeSpan.FromMilliseconds(256), backoff.Next(0.5));
        Assert.Equal(3, backoff.Failures);

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal(Initial, backoff.Next(0.5));
    }

    [Fact]
    public void Constructor_NonPositiveInitialOrMaxBelowInitial_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(Initial, TimeSpan.FromMilliseconds(50)));
    }
}
