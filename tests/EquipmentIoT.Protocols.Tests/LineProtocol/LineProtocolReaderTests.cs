using System.Text;
using EquipmentIoT.Protocols.LineProtocol;
using NodaTime;
using static EquipmentIoT.Protocols.Tests.LineProtocol.LineSamples;

namespace EquipmentIoT.Protocols.Tests.LineProtocol;

public class LineProtocolReaderTests
{
    [Fact]
    public void ReadLine_ReferenceSyntaxExample_ReadsAllElements()
    {
        // Line protocol reference, "Elements of line protocol" example.
        var point = Read("myMeasurement,tag1=val1,tag2=val2 field1=\"v1\",field2=1i 0000000000000000000").Value;

        Assert.Equal("myMeasurement", point.Measurement);
        Assert.Equal([Tag("tag1", "val1"), Tag("tag2", "val2")], point.Tags);
        Assert.Equal([Field("field1", LineFieldValue.String("v1")), Field("field2", LineFieldValue.Integer(1))], point.Fields);
        Assert.Equal(0, point.Timestamp);
    }

    [Fact]
    public void ReadLine_EscapedNamesAndString_Unescapes()
    {
        // Reference, "Special characters".
        var point = Read("mr\\ room\\,1,site=磁体间\\ A\\,B\\=C,path=C:\\scans f\\,k\\==\"say \\\"hi\\\" \\\\\"").Value;

        Assert.Equal("mr room,1", point.Measurement);
        Assert.Equal([Tag("path", "C:\\scans"), Tag("site", "磁体间 A,B=C")], point.Tags);
        Assert.Equal([Field("f,k=", LineFieldValue.String("say \"hi\" \\"))], point.Fields);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("1e+16", 1e16)]
    [InlineData("2E-3", 2e-3)]
    [InlineData(".5", 0.5)]
    [InlineData("7", 7.0)]
    public void ReadLine_FloatForms_Accepted(string text, double expected) =>
        Assert.Equal(LineFieldValue.Float(expected), Read("m v=" + text).Value.Fields[0].Value);

    [Theory]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void ReadLine_BooleanForms_Accepted(string text, bool expected) =>
        Assert.Equal(LineFieldValue.Boolean(expected), Read("m v=" + text).Value.Fields[0].Value);

    [Fact]
    public void ReadLine_IntegersAndUnsigned_Accepted()
    {
        var point = Read("m a=-9223372036854775808i,b=18446744073709551615u").Value;

        Assert.Equal(LineFieldValue.Integer(long.MinValue), point.Fields[0].Value);
        Assert.Equal(LineFieldValue.Unsigned(ulong.MaxValue), point.Fields[1].Value);
    }

    [Theory]
    [InlineData("", 0, "empty line")]
    [InlineData("#comment x=1", 0, "comment line, not a point")]
    [InlineData("m", 1, "expected a space before the field set (line ends)")]
    [InlineData("m ", 2, "field key: must not be empty")]
    [InlineData("m,k x=1", 3, "tag key without '='")]
    [InlineData("m,k= x=1", 4, "tag value: must not be empty")]
    [InlineData("m,k=a=b x=1", 5, "tag \"k\": unescaped '=' in tag value")]
    [InlineData("m,_k=v x=1", 2, "tag key \"_k\": must not start with '_' (reserved by InfluxDB)")]
    [InlineData("m x", 3, "field key without '=' (line ends)")]
    [InlineData("m x=", 4, "field \"x\": missing value")]
    [InlineData("m x=\"open", 4, "field \"x\": unterminated string")]
    [InlineData("m x=NaN", 4, "field \"x\": \"NaN\" is not a float, integer (i), unsigned (u), boolean or quoted string")]
    [InlineData("m x=1e999", 4, "field \"x\": float out of range")]
    [InlineData("m x=99999999999999999999i", 4, "field \"x\": \"99999999999999999999i\" is not a float, integer (i), unsigned (u), boolean or quoted string")]
    [InlineData("m x=-1u", 4, "field \"x\": \"-1u\" is not a float, integer (i), unsigned (u), boolean or quoted string")]
    [InlineData("m x=1,x=2", 6, "field key \"x\": appears twice")]
    [InlineData("m x=1 12a", 6, "timestamp \"12a\" is not a 64-bit integer")]
    [InlineData("m x=1 1 2", 6, "timestamp \"1 2\" is not a 64-bit integer")]
    [InlineData("m x=1 -9223372036854775808", 6, "timestamp -9223372036854775808 is outside InfluxDB's range")]
    public void ReadLine_Malformed_RefusedWithReasonAndOffset(string line, int offset, string reason)
    {
        var result = Read(line);

        Assert.False(result.Success);
        Assert.Equal(reason, result.Error);
        Assert.Equal(offset, result.Offset);
    }

    [Fact]
    public void ReadLine_InvalidUtf8_RefusedAtByte()
    {
        byte[] line = [(byte)'m', (byte)' ', (byte)'x', (byte)'=', (byte)'"', 0xC3, (byte)'"'];

        var result = new LineProtocolReader().ReadLine(line);

        Assert.Equal("invalid UTF-8", result.Error);
        Assert.Equal(5, result.Offset);
    }

    [Fact]
    public void ReadLines_BodyWithCommentsAndBlankLines_OffsetsAreAbsolute()
    {
        var reader = new LineProtocolReader(LinePrecision.Seconds);
        var ok = reader.ReadLines("# header\n\na x=1i 1700000000\nb y=2i\n"u8);
        Assert.Equal(2, ok.Value.Count);
        Assert.Equal(Instant.FromUnixTimeSeconds(1_700_000_000), ok.Value[0].Instant);
        Assert.Null(ok.Value[1].Timestamp);

        var bad = reader.ReadLines(Encoding.UTF8.GetBytes("a x=1i\nb y=\n"));
        Assert.Equal("field \"y\": missing value", bad.Error);
        Assert.Equal(11, bad.Offset);
    }

    [Fact]
    public void ReadLine_CarriageReturnAtEnd_Refused() =>
        Assert.False(Read("m x=\"a\r\"").Success);
}
