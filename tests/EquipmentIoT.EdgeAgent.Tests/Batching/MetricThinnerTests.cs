using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Batching;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Batching;

/// <summary>Thinning keeps one reading per (device, metric) per interval, in order, remembering across batches until reset.</summary>
[SupportedOSPlatform("linux")]
public sealed class MetricThinnerTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public void Thin_OneMetricEveryTenSeconds_KeepsOnePerInterval()
    {
        var points = Enumerable.Range(0, 13).Select(i => P("mr-01", "helium_level", i * 10)).ToList();

        var removed = new MetricThinner(Interval).Thin(points);

        Assert.Equal(10, removed);
        Assert.Equal([0, 60, 120], points.Select(Seconds));
    }

    [Fact]
    public void Thin_ReadingExactlyOneIntervalLater_Kept()
    {
        var points = new List<MetricPoint> { P("mr-01", "m", 0), P("mr-01", "m", 59.999), P("mr-01", "m", 60) };

        new MetricThinner(Interval).Thin(points);

        Assert.Equal([0, 60], points.Select(Seconds));
    }

    [Fact]
    public void Thin_SameNameOnOtherDeviceOrOtherNameOnSameDevice_ThinnedSeparately()
    {
        var points = new List<MetricPoint>
        {
            P("mr-01", "room_temp", 0), P("ct-02", "room_temp", 1), P("mr-01", "room_humidity", 2),
            P("mr-01", "room_temp", 10), P("ct-02", "room_temp", 11), P("mr-01", "room_humidity", 12),
        };

        var removed = new MetricThinner(Interval).Thin(points);

        Assert.Equal(3, removed);
        Assert.Equal([("mr-01", "room_temp"), ("ct-02", "room_temp"), ("mr-01", "room_humidity")], points.Select(p => (p.Device, p.Name)));
    }

    [Fact]
    public void Thin_InterleavedMetrics_KeptReadingsStayInCollectionOrder()
    {
        var points = new List<MetricPoint> { P("d", "a", 0), P("d", "b", 0), P("d", "a", 30), P("d", "b", 61), P("d", "a", 65), P("d", "c", 66) };

        new MetricThinner(Interval).Thin(points);

        Assert.Equal([("a", 0.0), ("b", 0.0), ("b", 61.0), ("a", 65.0), ("c", 66.0)], points.Select(p => (p.Name, Seconds(p))));
    }

    [Fact]
    public void Thin_NextBatch_RemembersTheLastKeptReading()
    {
        var thinner = new MetricThinner(Interval);
        var first = new List<MetricPoint> { P("d", "a", 0) };
        var second = new List<MetricPoint> { P("d", "a", 30), P("d", "a", 60) };

        thinner.Thin(first);
        var removed = thinner.Thin(second);

        Assert.Equal(1, removed);
        Assert.Equal([60], second.Select(Seconds));
    }

    [Fact]
    public void Reset_AfterPressure_NextReadingOfEveryMetricKept()
    {
        var thinner = new MetricThinner(Interval);
        thinner.Thin([P("d", "a", 0), P("d", "b", 0)]);

        thinner.Reset();
        var points = new List<MetricPoint> { P("d", "a", 5), P("d", "b", 6), P("d", "a", 7) };
        var removed = thinner.Thin(points);

        Assert.Equal(1, removed);
        Assert.Equal([("a", 5.0), ("b", 6.0)], points.Select(p => (p.Name, Seconds(p))));
    }

    [Fact]
    public void Thin_Empty_RemovesNothing()
    {
        var points = new List<MetricPoint>();

        Assert.Equal(0, new MetricThinner(Interval).Thin(points));
        Assert.Empty(points);
    }

    private static MetricPoint P(string device, string name, double seconds) =>
        new(device, name, "1", T0 + Duration.FromMilliseconds((long)Math.Round(seconds * 1000)), seconds);

    private static double Seconds(MetricPoint p) => (p.Timestamp - T0).TotalSeconds;
}
