using EquipmentIoT.Protocols.LineProtocol;
using NodaTime;
using static EquipmentIoT.Protocols.Tests.LineProtocol.LineSamples;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

public class LineProtocolWriterTests
{
    [Fact]
    public void TryWrite_ReferenceSyntaxExample_WritesGoldenLine()
    {
        // Line protocol reference, "Line protocol syntax" / "Elements of line protocol" example.
        var point = new LinePoint(
            "myMeasurement",
            [Tag("tag2", "value2"), Tag("tag1", "value1")],
            [Field("fieldKey", LineFieldValue.String("fieldValue"))],
            1556813561098000000);

        Assert.Equal("myMeasurement,tag1=value1,tag2=value2 fieldKey=\"fieldValue\" 1556813561098000000\n", Write(point));
    }

    [Fact]
    public void TryWrite_NoTimestamp_LineEndsAfterFieldSet()
    {
        // Reference, "Syntax description": the timestamp is optional; the server stamps the point.
        Assert.Equal("mr_helium level=71.5\n", Write(Point("mr_helium", Field("level", LineFieldValue.Float(71.5)))));
    }

    [Fact]
    public void TryWrite_AllFieldTypes_UseReferenceFormats()
    {
        // Reference, "Data types": float bare, integer with i, unsigned with u, boolean, string in double quotes.
        var point = Point(
            "ct",
            Field("f", LineFieldValue.Float(-1.25)),
            Field("big", LineFieldValue.Float(1e300)),
            Field("i", LineFieldValue.Integer(long.MinValue)),
            Field("u", LineFieldValue.Unsigned(ulong.MaxValue)),
            Field("t", LineFieldValue.Boolean(true)),
            Field("b", LineFieldValue.Boolean(false)),
            Field("s", LineFieldValue.String("")));

        Assert.Equal("ct f=-1.25,big=1e+300,i=-9223372036854775808i,u=18446744073709551615u,t=true,b=false,s=\"\"\n", Write(point));
    }

    [Fact]
    public void TryWrite_HostileTagValues_EscapesCommasEqualsAndSpaces()
    {
        // Reference, "Special characters": tag keys, tag values and field keys escape comma, equals sign and space;
        // quotes and a backslash before an ordinary character stay literal.
        var point = new LinePoint(
            "mr room",
            [Tag("site", "磁体间 A,B=C"), Tag("path key", "C:\\scans\\\"x\"")],
            [Field("field,key=", LineFieldValue.Integer(1))]);

        Assert.Equal("mr\\ room,path\\ key=C:\\scans\\\"x\",site=磁体间\\ A\\,B\\=C field\\,key\\==1i\n", Write(point));
    }

    [Fact]
    public void TryWrite_MeasurementWithCommaSpaceAndEquals_EscapesOnlyCommaAndSpace()
    {
        // Reference, "Special characters": measurements escape comma and space; '=' needs no escape there.
        Assert.Equal("a\\,b\\ c=d x=1i\n", Write(Point("a,b c=d", Field("x", LineFieldValue.Integer(1)))));
    }

    [Fact]
    public void TryWrite_StringField_EscapesDoubleQuotesAndBackslashes()
    {
        // Reference, "Special characters": string field values escape double quotes and backslashes.
        var point = Point("log", Field("msg", LineFieldValue.String("say \"hi\" C:\\temp 磁体间, a=b")));

        Assert.Equal("log msg=\"say \\\"hi\\\" C:\\\\temp 磁体间, a=b\"\n", Write(point));
    }

    [Theory]
    [InlineData("meas\nurement", "x", "v", "measurement: newline not allowed at index 4")]
    [InlineData("m", "k\r", "v", "tag key: newline not allowed at index 1")]
    [InlineData("m", "k", "line1\nline2", "tag \"k\": tag value: newline not allowed at index 5")]
    public void TryWrite_NewlineInName_RefusedWithReason(string measurement, string tagKey, string tagValue, string reason)
    {
        var point = new LinePoint(measurement, [Tag(tagKey, tagValue)], [Field("f", LineFieldValue.Integer(1))]);

        Assert.Equal("refused: " + reason, Write(point));
    }

    [Fact]
    public void TryWrite_NewlineInFieldKeyOrString_RefusedWithReason()
    {
        Assert.Equal("refused: field key: newline not allowed at index 1", Write(Point("m", Field("a\nb", LineFieldValue.Integer(1)))));
        Assert.Equal(
            "refused: field \"s\": string field value: newline not allowed at index 3",
            Write(Point("m", Field("s", LineFieldValue.String("one\ntwo")))));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void TryWrite_NonFiniteFloat_Refused(double value)
    {
        Assert.StartsWith("refused: field \"v\": ", Write(Point("m", Field("v", LineFieldValue.Float(value)))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "k", "v", "f", "measurement: must not be empty")]
    [InlineData("_m", "k", "v", "f", "measurement \"_m\": must not start with '_' (reserved by InfluxDB)")]
    [InlineData("#m", "k", "v", "f", "measurement \"#m\": must not start with '#' (the line would be a comment)")]
    [InlineData("m", "_id", "v", "f", "tag key \"_id\": must not start with '_' (reserved by InfluxDB)")]
    [InlineData("m", "", "v", "f", "tag key: must not be empty")]
    [InlineData("m", "k", "", "f", "tag \"k\": tag value: must not be empty")]
    [InlineData("m", "k", "ends\\", "f", "tag \"k\": tag value: backslash at the end cannot be written unambiguously at index 4")]
    [InlineData("m", "k", "a\\,b", "f", "tag \"k\": tag value: backslash before a delimiter cannot be written unambiguously at index 1")]
    [InlineData("m", "k", "v", "", "field key: must not be empty")]
    public void TryWrite_BadName_RefusedWithReasonAndNothingWritten(string measurement, string tagKey, string tagValue, string fieldKey, string reason)
    {
        var point = new LinePoint(measurement, [Tag(tagKey, tagValue)], [Field(fieldKey, LineFieldValue.Integer(1))]);

        Assert.Equal("refused: " + reason, Write(point));
    }

    [Fact]
    public void TryWrite_LoneSurrogate_Refused()
    {
        // UTF-8 cannot carry it; kept out of InlineData because test discovery would replace it with U+FFFD.
        var point = new LinePoint("m", [Tag("k", "a\uD800b")], [Field("f", LineFieldValue.Integer(1))]);

        Assert.Equal("refused: tag \"k\": tag value: lone UTF-16 surrogate at index 1", Write(point));
    }

    [Fact]
    public void TryWrite_NoFieldsOrDuplicates_Refused()
    {
        Assert.Equal("refused: field set: a point needs at least one field", Write(new LinePoint("m", null, [])));
        Assert.Equal("refused: field key \"a\": appears twice", Write(Point("m", Field("a", LineFieldValue.Integer(1)), Field("a", LineFieldValue.Integer(2)))));
        Assert.Equal("refused: tag key \"k\": appears twice", Write(new LinePoint("m", [Tag("k", "1"), Tag("k", "2")], [Field("f", LineFieldValue.Integer(1))])));
    }

    [Theory]
    [InlineData(LinePrecision.Nanoseconds, "1700000000123456789")]
    [InlineData(LinePrecision.Microseconds, "1700000000123456")]
    [InlineData(LinePrecision.Milliseconds, "1700000000123")]
    [InlineData(LinePrecision.Seconds, "1700000000")]
    public void TryWrite_InstantInPrecision_TruncatesToUnit(LinePrecision precision, string expected)
    {
        var instant = Instant.FromUnixTimeSeconds(1_700_000_000).PlusNanoseconds(123_456_789);
        var point = new LinePoint("m", null, [Field("f", LineFieldValue.Boolean(true))], instant, precision);

        Assert.Equal($"m f=true {expected}\n", Write(point, precision));
    }

    [Fact]
    public void TryWrite_InstantBeforeEpoch_FloorsToUnit()
    {
        var point = new LinePoint("m", null, [Field("f", LineFieldValue.Integer(1))], Instant.FromUnixTimeTicks(-1), LinePrecision.Milliseconds);

        Assert.Equal(-1, point.Timestamp);
        Assert.Equal("m f=1i -1\n", Write(point, LinePrecision.Milliseconds));
    }

    [Fact]
    public void TryWrite_PrecisionMismatchOrOutOfRange_Refused()
    {
        var seconds = new LinePoint("m", null, [Field("f", LineFieldValue.Integer(1))], 5, LinePrecision.Seconds);
        Assert.Equal("refused: timestamp: point is in Seconds but the request precision is Nanoseconds", Write(seconds));

        var farFuture = new LinePoint("m", null, [Field("f", LineFieldValue.Integer(1))], 10_000_000_000, LinePrecision.Seconds);
        Assert.StartsWith("refused: timestamp 10000000000: outside", Write(farFuture, LinePrecision.Seconds), StringComparison.Ordinal);
    }

    [Fact]
    public void TryWrite_SeveralPoints_OneLineEach()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new LineProtocolWriter();
        Assert.True(writer.TryWrite(Point("a", Field("x", LineFieldValue.Integer(1))), buffer).Success);
        Assert.False(writer.TryWrite(Point("_bad", Field("x", LineFieldValue.Integer(1))), buffer).Success);
        Assert.True(writer.TryWrite(Point("b", Field("x", LineFieldValue.Integer(2))), buffer).Success);

        Assert.Equal("a x=1i\nb x=2i\n", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
