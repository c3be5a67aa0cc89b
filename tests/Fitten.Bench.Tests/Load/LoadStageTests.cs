using Fitten.Bench.Load;

namespace Fitten.Bench.Tests.Load;

public sealed class LoadStageTests
{
    [Fact]
    public void ParseList_Rates_OpenModelSteps()
    {
        var stages = LoadStage.ParseList("10s:1000rps, 30s:5000rps,500ms:0rps", out var model);

        Assert.Equal(LoadModel.Open, model);
        Assert.Equal([new LoadStage(TimeSpan.FromSeconds(10), 1000), new LoadStage(TimeSpan.FromSeconds(30), 5000), new LoadStage(TimeSpan.FromMilliseconds(500), 0)], stages);
    }

    [Fact]
    public void ParseList_Concurrencies_ClosedModelSteps()
    {
        var stages = LoadStage.ParseList("5s:8c,5s:64c", out var model);

        Assert.Equal(LoadModel.Closed, model);
        Assert.Equal(64, stages[1].Value);
    }

    [Theory]
    [InlineData("10s:1000")]
    [InlineData("10s:1000rps,10s:8c")]
    [InlineData("x:10rps")]
    [InlineData("10s:-5rps")]
    [InlineData("10s:2.5c")]
    [InlineData("")]
    public void ParseList_Invalid_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => LoadStage.ParseList(text, out _));

    [Fact]
    public void ParseStages_AllZero_Throws() =>
        Assert.Throws<ArgumentException>(() => LoadProfile.ParseStages("1s:0rps"));
}
