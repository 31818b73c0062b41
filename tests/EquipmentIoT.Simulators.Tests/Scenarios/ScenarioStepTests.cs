using EquipmentIoT.Simulators.Scenarios;

namespace EquipmentIoT.Simulators.Tests.Scenarios;

public sealed class ScenarioStepTests
{
    [Fact]
    public void TryParse_NameStartAndDuration_ReadsAll()
    {
        Assert.True(ScenarioStep.TryParse("unplugged@30s+20s", out var step, out _));
        Assert.Equal(new ScenarioStep(ScenarioKind.Unplugged, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)), step);
        Assert.True(step!.IsActiveAt(TimeSpan.FromSeconds(30)));
        Assert.False(step.IsActiveAt(TimeSpan.FromSeconds(50)));
    }

    [Fact]
    public void TryParse_NameOnly_StartsAtOnceAndNeverEnds()
    {
        Assert.True(ScenarioStep.TryParse("helium-leak", out var step, out _));
        Assert.Equal(TimeSpan.Zero, step!.Start);
        Assert.Null(step.Duration);
        Assert.True(step.IsActiveAt(TimeSpan.FromDays(400)));
    }

    [Theory]
    [InlineData("helium-lake", "unknown")]
    [InlineData("helium-leak@ten", "start 'ten'")]
    [InlineData("helium-leak@1m+0s", "duration '0s'")]
    public void TryParse_Bad_SaysWhy(string text, string expected)
    {
        Assert.False(ScenarioStep.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
