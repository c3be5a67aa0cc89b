namespace Fitten.Tests;

public class SkeletonTests
{
    [Fact]
    public void Build_Runs_Tests() => Assert.Equal(2, 1 + 1);
}
