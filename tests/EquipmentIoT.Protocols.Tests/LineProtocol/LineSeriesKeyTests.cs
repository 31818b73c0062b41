using System.Buffers;
using System.Text;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

/// <summary>
/// Series keys as InfluxDB's SHOW SERIES prints them (<c>measurement,tag=value,…</c>, escaped as in a line): every key the
/// writer produces reads back to its measurement and tags; bad keys are refused with a reason and an offset, never thrown.
/// </summary>
public class LineSeriesKeyTests
{
    [Fact]
    public void ReadSeriesKey_ShowSeriesKey_GivesMeasurementAndUnescapedTags()
    {
        var key = LineProtocolReader.ReadSeriesKey(@"telemetry,agent=agent-01,device=mr\ 01\,north,metric=a\=b,unit=%"u8);

        Assert.True(key.Success, key.Error);
        Assert.Equal("telemetry", key.Value.Measurement);
        Assert.Equal("mr 01,north", key.Value.Tag("device"));
        Assert.Equal("a=b", key.Value.Tag("metric"));
        Assert.Equal("%", key.Value.Tag("unit"));
        Assert.Null(key.Value.Tag("site"));
    }

    [Theory]
    [InlineData("", "empty line")]
    [InlineData("telemetry,device", "tag key without '='")]
    [InlineData("telemetry,device=a value=1", "a series key has no field set")]
    [InlineData("telemetry,device=a,device=b", "appears twice")]
    [InlineData("#telemetry", "comment line")]
    public void ReadSeriesKey_BadKey_RefusedWithReason(string text, string reason)
    {
        var key = LineProtocolReader.ReadSeriesKey(Encoding.UTF8.GetBytes(text));

        Assert.False(key.Success);
        Assert.Contains(reason, key.Error, StringComparison.Ordinal);
        Assert.InRange(key.Offset, 0, text.Length);
    }

    [Fact]
    public void ReadSeriesKey_SeededRandomPoints_KeyOfEveryWrittenLineReadsBack()
    {
        var random = new Random(20261202);
        var writer = new LineProtocolWriter();
        for (var i = 0; i < 2_000; i++)
        {
            var point = LinePointGenerator.Next(random, LinePrecision.Nanoseconds);
            var buffer = new ArrayBufferWriter<byte>();
            Assert.True(writer.TryWrite(point, buffer).Success);

            var key = LineProtocolReader.ReadSeriesKey(KeyOf(buffer.WrittenSpan));

            Assert.True(key.Success, $"{point}: {key.Error}");
            Assert.Equal(point.Measurement, key.Value.Measurement);
            Assert.Equal(point.Tags, key.Value.Tags);
        }
    }

    [Theory]
    [InlineData(20261202)]
    [InlineData(11)]
    public void ReadSeriesKey_MutatedKeys_OnlyResultsAndAcceptedKeysRoundTrip(int seed)
    {
        var random = new Random(seed);
        var writer = new LineProtocolWriter();
        var hostile = "\\ ,=\"\n#a磁"u8.ToArray();
        int accepted = 0, refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            writer.TryWrite(LinePointGenerator.Next(random, LinePrecision.Nanoseconds), buffer);
            var bytes = KeyOf(buffer.WrittenSpan).ToArray().ToList();
            for (var m = 1 + random.Next(3); m > 0 && bytes.Count > 0; m--)
            {
                var at = random.Next(bytes.Count);
                if (random.Next(3) == 0) bytes.RemoveAt(at);
                else bytes.Insert(at, hostile[random.Next(hostile.Length)]);
            }
            var input = bytes.ToArray();

            var key = LineProtocolReader.ReadSeriesKey(input);

            if (!key.Success)
            {
                refused++;
                Assert.False(string.IsNullOrEmpty(key.Error));
                Assert.InRange(key.Offset, 0, input.Length);
                continue;
            }
            accepted++;
            // What is accepted is a real series: written as a point again, it reads back with the same measurement and tags.
            var again = new ArrayBufferWriter<byte>();
            var point = new LinePoint(key.Value.Measurement, key.Value.Tags, [new("x", LineFieldValue.Integer(1))]);
            if (!writer.TryWrite(point, again).Success) continue; // names the writer refuses (e.g. a reserved tag key) are not round-trip material
            var reread = new LineProtocolReader().ReadLine(again.WrittenSpan[..^1]);
            Assert.True(reread.Success, reread.Error);
            Assert.Equal(point.Tags, reread.Value.Tags);
            Assert.Equal(key.Value.Measurement, reread.Value.Measurement);
        }
        Assert.True(accepted > 1_000, $"{accepted} accepted");
        Assert.True(refused > 1_000, $"{refused} refused");
    }

    // The series key of a written line: everything before the first unescaped space.
    private static ReadOnlySpan<byte> KeyOf(ReadOnlySpan<byte> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\' && i + 1 < line.Length) i++;
            else if (line[i] == (byte)' ') return line[..i];
        }
        return line;
    }
}
