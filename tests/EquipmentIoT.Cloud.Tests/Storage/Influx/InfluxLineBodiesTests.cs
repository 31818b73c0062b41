using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>The series store's fast path (a cached series key and three numbers) writes the bytes the checked writer writes.</summary>
public sealed class InfluxLineBodiesTests
{
    [Fact]
    public void AddPoint_WithTheSeriesKeyOfAPoint_SameBytesAsTryAdd()
    {
        var random = new Random(8);
        string[] devices = ["mr-01", "ct 01", "a,b=c", "磁共振-1", "q\"uote", "back\\slash"];
        string?[] units = [null, "%", "°C", "k Pa"];
        var slow = new InfluxLineBodies(1000, 1 << 20);
        var fast = new InfluxLineBodies(1000, 1 << 20);
        for (var i = 0; i < 500; i++)
        {
            var device = InfluxTagText.Encode(devices[i % devices.Length]);
            var unit = units[i % units.Length];
            var value = i % 7 == 0 ? Math.Round(random.NextDouble() * 100) : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 15));
            var time = 1_764_000_000_000L + i;
            var quality = i % 3;
            KeyValuePair<string, string>[] tags = unit is null
                ? [new("agent", "agent-01"), new("device", device), new("metric", "m" + (i % 4))]
                : [new("agent", "agent-01"), new("device", device), new("metric", "m" + (i % 4)), new("unit", InfluxTagText.Encode(unit))];
            var point = new LinePoint("telemetry", tags,
                [new("value", LineFieldValue.Float(value)), new("quality", LineFieldValue.Integer(quality)), new("batch", LineFieldValue.Integer(42 + i))],
                time, LinePrecision.Milliseconds);

            Assert.Null(slow.TryAdd(point));
            fast.AddPoint(InfluxLineBodies.SeriesKeyOf(point, out var error), "value", value, "quality", quality, "batch", 42 + i, time);
            Assert.Null(error);
        }

        var expected = slow.Drain().Select(b => System.Text.Encoding.UTF8.GetString(b.Span).Split('\n')).SelectMany(l => l).ToList();
        var actual = fast.Drain().Select(b => System.Text.Encoding.UTF8.GetString(b.Span).Split('\n')).SelectMany(l => l).ToList();
        var first = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], -1);
        Assert.True(first < 0 && expected.Count == actual.Count, first < 0 ? "line counts differ" : $"line {first}:\n{expected[first]}\n{actual[first]}");
    }

    [Fact]
    public void AddPoint_NotFinite_Refused()
    {
        var bodies = new InfluxLineBodies(10, 1000);

        Assert.Throws<ArgumentOutOfRangeException>(() => bodies.AddPoint("t,a=b "u8, "value", double.NaN, "quality", 0, "batch", 1, 0));
        Assert.Empty(bodies.Drain());
    }
}
