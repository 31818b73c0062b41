using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SeriesChunkCodecTests
{
    [Fact]
    public void Encode_PointsInAnyOrderAndQuality_DecodeToTheSame()
    {
        ChunkPoint[] points =
        [
            new(1_795_000_000_000, 71.3, MetricQuality.Good),
            new(1_795_000_001_000, double.MaxValue, MetricQuality.Uncertain),
            new(1_794_999_999_500, -0.0, MetricQuality.Bad),
            new(1_795_000_000_000, 1e-300, MetricQuality.Good),
            new(-62_135_596_800_000 + 1_795_000_000_000, 5, MetricQuality.Good),
        ];
        var start = points.Min(p => p.Time);

        var data = SeriesChunkCodec.Encode(points, start);
        var decoded = new List<ChunkPoint>();
        SeriesChunkCodec.Decode(data, start, points.Length, decoded);

        Assert.Equal(points, decoded);
    }

    [Fact]
    public void Encode_OneHertzPoints_TakeTenBytesEach()
    {
        var points = Enumerable.Range(0, 100).Select(i => new ChunkPoint(1000L * i, i, MetricQuality.Good)).ToArray();

        // A start one second before the first point: every delta is 1000 ms (a 2-byte varint) + 8 bytes of value.
        Assert.Equal(1 + 100 * 10, SeriesChunkCodec.Encode(points, -1000).Length);
    }

    [Fact]
    public void Decode_TruncatedBlob_ThrowsInvalidData()
    {
        var data = SeriesChunkCodec.Encode([new ChunkPoint(0, 1, MetricQuality.Good), new ChunkPoint(1000, 2, MetricQuality.Good)], 0);

        var e = Assert.Throws<InvalidDataException>(() => SeriesChunkCodec.Decode(data.AsSpan(0, data.Length - 3), 0, 2, []));
        Assert.Contains("point 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SeriesChunkCodec.Decode(data, 0, 1, []));
    }
}
