using Fitten.Health;

namespace Fitten.Tests.Health;

public class OutlierDetectionOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => new OutlierDetectionOptions().Validate();

    [Fact]
    public void Validate_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutlierDetectionOptions { ConsecutiveFailures = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutlierDetectionOptions { BaseEjectionTime = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutlierDetectionOptions { MaxEjectionTime = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutlierDetectionOptions { MaxEjectionPercent = 101 }.Validate());
    }
}
