using System.Buffers;
using System.Text;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

/// <summary>Seeded random points: everything the writer accepts the reader gives back equal.</summary>
public class LineProtocolRoundTripTests
{
    private const int Points = 2_000;

    [Theory]
    [InlineData(LinePrecision.Nanoseconds)]
    [InlineData(LinePrecision.Microseconds)]
    [InlineData(LinePrecision.Milliseconds)]
    [InlineData(LinePrecision.Seconds)]
    public void WriteThenRead_SeededRandomPoints_SamePoints(LinePrecision precision)
    {
        var random = new Random(20261202 + (int)precision);
        var writer = new LineProtocolWriter(precision);
        var buffer = new ArrayBufferWriter<byte>();
        var expected = new List<LinePoint>();
        for (var i = 0; i < Points; i++)
        {
            var point = LinePointGenerator.Next(random, precision);
            var result = writer.TryWrite(point, buffer);
            Assert.True(result.Success, $"{point}: {result.Error}");
            expected.Add(point);
        }

        var read = new LineProtocolReader(precision).ReadLines(buffer.WrittenSpan);

        Assert.True(read.Success, read.ToString());
        Assert.Equal(Points, read.Value.Count);
        for (var i = 0; i < Points; i++) Assert.Equal(expected[i], read.Value[i]);
        Assert.Equal(Points, Encoding.UTF8.GetString(buffer.WrittenSpan).Count(c => c == '\n'));
    }
}
