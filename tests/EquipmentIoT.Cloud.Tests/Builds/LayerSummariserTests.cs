using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Builds;

public sealed class LayerSummariserTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 12, 1, 8, 0);

    private static SeriesPoint P(int seconds, double value, MetricQuality quality = MetricQuality.Good) =>
        new(T0 + Duration.FromSeconds(seconds), value, 1, value, value, quality);

    [Fact]
    public void Summarise_PointsOnLayerBoundaries_BelongToTheLayerStartingThere()
    {
        var layers = new List<(int, Instant)> { (1, T0), (2, T0 + Duration.FromSeconds(10)), (3, T0 + Duration.FromSeconds(20)) };
        var points = new[] { P(-1, 999), P(0, 300), P(9, 400), P(10, 500), P(19, 700), P(20, 350), P(29, 360), P(30, 999) };

        var result = LayerSummariser.Summarise("chamber_o2", "ppm", layers, T0 + Duration.FromSeconds(30), points, new ProcessWindow { Max = 600 });

        Assert.Equal(3, result.Count);
        var (layer1, s1) = result[0];
        Assert.Equal(1, layer1);
        Assert.Equal((2L, 300.0, 400.0, 350.0, 0L), (s1.Count, s1.Min, s1.Max, s1.Mean, s1.Outside));
        var s2 = result[1].Summary;
        Assert.Equal((2L, 500.0, 700.0, 1L), (s2.Count, s2.Min, s2.Max, s2.Outside));
        Assert.True(s2.IsExcursion);
        Assert.Equal(600, s2.WindowMax);
        Assert.False(result[2].Summary.IsExcursion);
    }

    [Fact]
    public void Summarise_BadPointsAndLayersWithoutPoints_LeftOut()
    {
        var layers = new List<(int, Instant)> { (1, T0), (2, T0 + Duration.FromSeconds(10)) };
        var points = new[] { P(1, 5000, MetricQuality.Bad), P(2, 200), P(3, 220, MetricQuality.Uncertain) };

        var result = LayerSummariser.Summarise("build_plate_temperature", "Cel", layers, T0 + Duration.FromSeconds(20), points,
            new ProcessWindow { Min = 170, Max = 230 });

        var (layer, summary) = Assert.Single(result);
        Assert.Equal(1, layer);
        Assert.Equal((2L, 200.0, 220.0, 0L), (summary.Count, summary.Min, summary.Max, summary.Outside));
    }

    [Fact]
    public void Summarise_NoWindow_NoExcursion()
    {
        var result = LayerSummariser.Summarise("laser_power", "W", [(1, T0)], T0 + Duration.FromSeconds(5), [P(1, 1e6)], null);

        Assert.False(Assert.Single(result).Summary.IsExcursion);
        Assert.Null(result[0].Summary.WindowMax);
    }
}
