using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SeriesQueryPlanTests
{
    private const long S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;

    [Fact]
    public void Plan_DayStepOverAlignedRange_ReadsOnlyHourRollups()
    {
        Assert.Equal([new SeriesSegment(SeriesTier.Hour, 0, 365 * D)], SeriesQueryPlan.Plan(0, 365 * D, D));
    }

    [Fact]
    public void Plan_HourStepOverUnalignedRange_ReadsEdgesFromMinutesAndRaw()
    {
        var plan = SeriesQueryPlan.Plan(10 * M + 30 * S, 5 * H + 20 * M + 15 * S, H);

        Assert.Equal(
        [
            new SeriesSegment(SeriesTier.Raw, 10 * M + 30 * S, 11 * M),
            new SeriesSegment(SeriesTier.Minute, 11 * M, H),
            new SeriesSegment(SeriesTier.Hour, H, 5 * H),
            new SeriesSegment(SeriesTier.Minute, 5 * H, 5 * H + 20 * M),
            new SeriesSegment(SeriesTier.Raw, 5 * H + 20 * M, 5 * H + 20 * M + 15 * S),
        ], plan);
    }

    [Fact]
    public void Plan_FiveMinuteStep_ReadsMinuteRollups()
    {
        Assert.Equal([new SeriesSegment(SeriesTier.Minute, 0, 3 * H)], SeriesQueryPlan.Plan(0, 3 * H, 5 * M));
    }

    [Theory]
    [InlineData(90 * S)]
    [InlineData(30 * S)]
    public void Plan_StepNotAWholeNumberOfMinutes_ReadsRaw(long step)
    {
        Assert.Equal([new SeriesSegment(SeriesTier.Raw, 0, 3 * H)], SeriesQueryPlan.Plan(0, 3 * H, step));
    }

    [Fact]
    public void Plan_RangeShorterThanABucket_ReadsRaw()
    {
        Assert.Equal([new SeriesSegment(SeriesTier.Raw, 10 * S, 50 * S)], SeriesQueryPlan.Plan(10 * S, 50 * S, H));
    }
}
