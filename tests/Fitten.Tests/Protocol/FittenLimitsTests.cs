using Fitten.Protocol;

namespace Fitten.Tests.Protocol;

public class FittenLimitsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var limits = new FittenLimits();

        Assert.Equal(4 * 1024 * 1024, limits.MaxFrameSize);
        Assert.Equal(8 * 1024, limits.MaxMetadataSize);
        Assert.Equal(64, limits.MaxMetadataEntries);
        Assert.Equal(1024, limits.MaxConcurrentCalls);
        Assert.Equal(TimeSpan.FromMinutes(2), limits.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.FrameReadTimeout);
    }

    [Fact]
    public void Setters_OutOfRange_ThrowNamingTheLimit()
    {
        var limits = new FittenLimits();

        Assert.Contains("MaxFrameSize", Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaxFrameSize = 17 * 1024 * 1024).Message);
        Assert.Contains("MaxMetadataSize", Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaxMetadataSize = 10).Message);
        Assert.Contains("MaxMetadataEntries", Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaxMetadataEntries = 0).Message);
        Assert.Contains("MaxConcurrentCalls", Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaxConcurrentCalls = 0).Message);
        Assert.Contains("IdleTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => limits.IdleTimeout = TimeSpan.FromMilliseconds(-5)).Message);
        Assert.Contains("FrameReadTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => limits.FrameReadTimeout = TimeSpan.FromDays(2)).Message);
    }

    [Fact]
    public void Timeouts_AcceptInfinite()
    {
        var limits = new FittenLimits { IdleTimeout = Timeout.InfiniteTimeSpan, FrameReadTimeout = Timeout.InfiniteTimeSpan };

        Assert.Equal(Timeout.InfiniteTimeSpan, limits.IdleTimeout);
    }
}
