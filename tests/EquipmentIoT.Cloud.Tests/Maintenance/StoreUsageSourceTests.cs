using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;
using EquipmentIoT.Cloud.Tests.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>Counter hours and laser hours measured from a real SQLite series store.</summary>
public sealed class StoreUsageSourceTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 0, 0);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task MeasureAsync_CounterHours_IsTheCountersIncreaseSinceTheStart()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        // compressor_hours every 10 minutes from 18 250 h, one hour per hour.
        await series.WriteAsync([new SeriesBatch(1, "agent-01", [.. Enumerable.Range(0, 6 * 48).Select(i =>
            new MetricPoint("mr-01", "compressor_hours", "h", T0 + Duration.FromMinutes(10 * i), 18_250 + i / 6.0))])], None);
        var source = Source(series);
        var plan = Plan(UsageMeasure.CounterHours, "compressor_hours");

        var reading = await source.MeasureAsync(plan, T0 + Duration.FromHours(24), T0 + Duration.FromHours(49), None);
        var none = await source.MeasureAsync(plan with { Metric = "cold_head_hours" }, T0, T0 + Duration.FromHours(49), None);

        Assert.Equal(23.83, reading.Value!.Value, 2); // newest 18 297.83 − first since the start 18 274
        Assert.Null(none.Value);
        Assert.Equal($"no cold_head_hours readings of 'mr-01' since {T0}", none.Problem);
    }

    [Fact]
    public async Task MeasureAsync_CounterReset_CountsFromZero()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        await series.WriteAsync([new SeriesBatch(1, "agent-01", [new MetricPoint("mr-01", "compressor_hours", "h", T0, 30_000),
            new MetricPoint("mr-01", "compressor_hours", "h", T0 + Duration.FromHours(5), 4)])], None);

        var reading = await Source(series).MeasureAsync(Plan(UsageMeasure.CounterHours, "compressor_hours"), T0, T0 + Duration.FromHours(6), None);

        Assert.Equal(4, reading.Value);
    }

    [Fact]
    public async Task MeasureAsync_LaserHours_CountsMinutesAboveTheThreshold()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        // 3 hours of laser at ~370 W (a point every 30 s), then 2 hours idle at 0 W.
        var points = Enumerable.Range(0, 600).Select(i => new MetricPoint("am-01", "laser_power", "W", T0 + Duration.FromSeconds(30 * i), i < 360 ? 370 : 0));
        await series.WriteAsync([new SeriesBatch(1, "agent-01", [.. points])], None);

        var reading = await Source(series).MeasureAsync(Plan(UsageMeasure.LaserHours, null), T0, T0 + Duration.FromHours(6), None);

        Assert.Equal(3.0, reading.Value);
    }

    [Fact]
    public async Task MeasureAsync_BuildsWithoutBuildRecords_IsUnavailable()
    {
        var reading = await Source(new StubTelemetryStores()).MeasureAsync(Plan(UsageMeasure.Builds, null), T0, T0 + Duration.FromDays(1), None);

        Assert.Equal("build records are not enabled in this cloud", reading.Problem);
    }

    private static StoreUsageSource Source(ISeriesStore series) =>
        new(new StubTelemetryStores(), series, new FixedOptionsMonitor<MaintenanceOptions>(new MaintenanceOptions()));

    private static MaintenancePlan Plan(UsageMeasure measure, string? metric) => new(1, measure == UsageMeasure.LaserHours ? "am-01" : "mr-01", "x",
        null, PlanBasis.Usage, null, null, measure, metric, 100, null, 10, WorkOrderPriority.Normal, true, T0, T0, "anna");
}
