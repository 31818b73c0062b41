using System.Buffers;
using System.Text;
using EquipmentIoT.Protocols.LineProtocol;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

/// <summary>Small builders shared by the line protocol tests.</summary>
internal static class LineSamples
{
    public static KeyValuePair<string, string> Tag(string key, string value) => new(key, value);

    public static KeyValuePair<string, LineFieldValue> Field(string key, LineFieldValue value) => new(key, value);

    public static LinePoint Point(string measurement, params KeyValuePair<string, LineFieldValue>[] fields) => new(measurement, null, fields);

    /// <summary>Writes one point and returns the line as text, or the refusal reason prefixed with "refused: ".</summary>
    public static string Write(LinePoint point, LinePrecision precision = LinePrecision.Nanoseconds)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var result = new LineProtocolWriter(precision).TryWrite(point, buffer);
        if (!result.Success)
        {
            Assert.Equal(0, buffer.WrittenCount);
            return "refused: " + result.Error;
        }

        Assert.Equal(result.BytesWritten, buffer.WrittenCount);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static LineReadResult<LinePoint> Read(string line, LinePrecision precision = LinePrecision.Nanoseconds) =>
        new LineProtocolReader(precision).ReadLine(Encoding.UTF8.GetBytes(line));
}
