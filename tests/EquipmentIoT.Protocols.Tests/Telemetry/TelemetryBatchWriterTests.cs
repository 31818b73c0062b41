using System.Buffers;
using System.Globalization;
using System.Text;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The payload writer against SPEC.md §batch: exact bytes, omissions, number form, refusals.</summary>
public class TelemetryBatchWriterTests
{
    /// <summary>JSON written with single quotes for readability.</summary>
    internal static string Q(string singleQuoted) => singleQuoted.Replace('\'', '"');

    private static string Json(TelemetryBatch batch) => Encoding.UTF8.GetString(TelemetryBatchWriter.ToUtf8(batch));

    [Fact]
    public void Write_SpecMetricsBatch_MatchesGoldenJson()
    {
        // SPEC.md §batch example: member order, unit kept, quality omitted when good, prev null at seq 1, events empty.
        var golden = Q(
            "{'v':1,'agent':'agent-01','stream':'metrics','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z'," +
            "'metrics':[{'device':'mr-01','name':'helium_level','unit':'%','ts':'2026-11-22T10:00:01.000Z','value':71.3}," +
            "{'device':'mr-01','name':'room_temp','unit':'Cel','ts':'2026-11-22T10:00:01.000Z','value':21.5,'quality':'uncertain'}]," +
            "'events':[]}");
        Assert.Equal(golden, Json(TelemetrySamples.MetricsBatch()));
    }

    [Fact]
    public void Write_SpecEventsBatch_MatchesGoldenJson()
    {
        var golden = Q(
            "{'v':1,'agent':'agent-01','stream':'events','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z','metrics':[]," +
            "'events':[{'device':'mr-01','type':'state','ts':'2026-11-22T09:59:58.120Z','data':{'state':'scanning','previous':'idle'}}," +
            "{'device':'mr-01','type':'fault','ts':'2026-11-22T10:00:00.005Z','data':{'code':'HE-104','active':true,'severity':2,'text':'Helium level low'}}]}");
        Assert.Equal(golden, Json(TelemetrySamples.EventsBatch()));
    }

    [Fact]
    public void Write_SeqTwo_WritesPrevString()
    {
        var prev = new string('A', 43);
        Assert.Contains($"\"seq\":2,\"prev\":\"{prev}\",", Json(TelemetrySamples.MetricsBatch(2, prev)), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NullUnitAndBadQuality_UnitOmittedQualityBad()
    {
        var batch = TelemetrySamples.MetricsBatch() with
        {
            Metrics = [new MetricPoint("ct-02", "tube.heat:pct", null, TelemetrySamples.Created, 0, MetricQuality.Bad)],
        };
        Assert.Contains(Q("{'device':'ct-02','name':'tube.heat:pct','ts':'2026-11-22T10:00:01.250Z','value':0,'quality':'bad'}"),
            Json(batch), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(71.3)]
    [InlineData(0.1)]
    [InlineData(1e-7)]
    [InlineData(1.7976931348623157e308)]
    [InlineData(-4.9e-324)]
    [InlineData(123456789012345680)]
    [InlineData(-0.0)]
    [InlineData(1.0 / 3)]
    public void Write_Value_ShortestRoundTripFormThatReadsBackExactly(double value)
    {
        var batch = TelemetrySamples.MetricsBatch() with
        {
            Metrics = [new MetricPoint("mr-01", "x", null, TelemetrySamples.Created, value)],
        };
        var json = Json(batch);
        var text = json[(json.IndexOf("\"value\":", StringComparison.Ordinal) + 8)..json.IndexOf('}', StringComparison.Ordinal)];

        Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), text);
        var back = TelemetryBatchReader.Read(Encoding.UTF8.GetBytes(json)).Value.Metrics[0].Value;
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back));
    }

    [Fact]
    public void Write_SubMillisecondTimestamp_TruncatedTowardsThePast()
    {
        var ts = Instant.FromUtc(1969, 12, 31, 23, 59, 59) + Duration.FromNanoseconds(999_999_999);
        var batch = TelemetrySamples.MetricsBatch() with { Metrics = [new MetricPoint("mr-01", "x", null, ts, 1)] };
        Assert.Contains("\"ts\":\"1969-12-31T23:59:59.999Z\"", Json(batch), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TextNeedingEscapes_EscapesOnlyWhatJsonRequires()
    {
        var batch = TelemetrySamples.EventsBatch() with
        {
            Events = [new TelemetryEvent("am-03", "x-acme.layer_note", TelemetrySamples.Created,
                new Dictionary<string, EventValue> { ["text"] = "O₂ < 1000 ppm & \"ok\"\n\\ 温度" })],
        };
        Assert.Contains("""
            "data":{"text":"O₂ < 1000 ppm & \"ok\"\n\\ 温度"}
            """, Json(batch), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IntoBufferWriter_ReturnsBytesWrittenAndAppends()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("x"u8);
        var written = TelemetryBatchWriter.Write(TelemetrySamples.MetricsBatch(), buffer);

        Assert.Equal(buffer.WrittenCount - 1, written);
        Assert.Equal(TelemetryBatchWriter.ToUtf8(TelemetrySamples.MetricsBatch()), buffer.WrittenSpan[1..].ToArray());
    }

    public static TheoryData<string, Func<TelemetryBatch, TelemetryBatch>> InvalidBatches() => new()
    {
        { "agent: must be", b => b with { Agent = "agent 01" } },
        { "agent: must be", b => b with { Agent = new string('a', 65) } },
        { "stream: must be", b => b with { Stream = "Metrics" } },
        { "seq: must be an integer from 1", b => b with { Seq = 0 } },
        { "seq: must be an integer from 1", b => b with { Seq = 9_007_199_254_740_992 } },
        { "prev: must be null when seq is 1", b => b with { Prev = new string('A', 43) } },
        { "prev: must be 43 characters", b => b with { Seq = 2 } },
        { "prev: must be 43 characters", b => b with { Seq = 2, Prev = new string('A', 42) + "B" } },
        { "created: outside years 0001-9999", b => b with { Created = Instant.FromUtc(-5, 1, 1, 0, 0) } },
        { "metrics[1].value: must be a finite number", b => b with { Metrics = [b.Metrics[0], b.Metrics[1] with { Value = double.NaN }] } },
        { "metrics[0].value: must be a finite number", b => b with { Metrics = [b.Metrics[0] with { Value = double.PositiveInfinity }] } },
        { "metrics[0].device: must be", b => b with { Metrics = [b.Metrics[0] with { Device = "mr/01" }] } },
        { "metrics[0].name: must be", b => b with { Metrics = [b.Metrics[0] with { Name = "" }] } },
        { "metrics[0].unit: must be", b => b with { Metrics = [b.Metrics[0] with { Unit = "deg C" }] } },
        { "metrics[0].quality: unknown quality", b => b with { Metrics = [b.Metrics[0] with { Quality = (MetricQuality)7 }] } },
        { "events[0].type: must be", b => b with { Events = [new TelemetryEvent("mr-01", "alarm", TelemetrySamples.Created)] } },
        { "events[0].type: must be", b => b with { Events = [new TelemetryEvent("mr-01", "x-acme", TelemetrySamples.Created)] } },
        { "events[0].data: key '1st'", b => b with { Events = [Event(new() { ["1st"] = 1L })] } },
        { "events[0].data.text: longer than 1024", b => b with { Events = [Event(new() { ["text"] = new string('€', 342) })] } },
        { "events[0].data.text: is not well-formed UTF-16", b => b with { Events = [Event(new() { ["text"] = "a\uD800b" })] } },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public void Write_InvalidBatch_ThrowsNamingThePathAndWritesNothing(string reason, Func<TelemetryBatch, TelemetryBatch> change)
    {
        var batch = change(TelemetrySamples.MetricsBatch());
        var buffer = new ArrayBufferWriter<byte>();

        var ex = Assert.Throws<ArgumentException>(() => TelemetryBatchWriter.Write(batch, buffer));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(reason, TelemetryBatchWriter.Validate(batch), StringComparison.Ordinal);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Write_TextOfExactly1024Utf8Bytes_Accepted()
    {
        var batch = TelemetrySamples.MetricsBatch() with { Events = [Event(new() { ["text"] = new string('€', 341) + "a" })] };
        Assert.Null(TelemetryBatchWriter.Validate(batch));
    }

    private static TelemetryEvent Event(Dictionary<string, EventValue> data) => new("mr-01", EventTypes.Agent, TelemetrySamples.Created, data);
}
