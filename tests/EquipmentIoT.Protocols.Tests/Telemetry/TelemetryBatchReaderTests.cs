using System.Text;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using static EquipmentIoT.Protocols.Tests.Telemetry.TelemetryBatchWriterTests;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The strict payload reader: round trips with the writer, and one test per rule with the reason it gives.</summary>
public class TelemetryBatchReaderTests
{
    private const string Metrics1 = "{'v':1,'agent':'agent-01','stream':'metrics','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z'," +
        "'metrics':[{'device':'mr-01','name':'helium_level','unit':'%','ts':'2026-11-22T10:00:01.000Z','value':71.3}," +
        "{'device':'mr-01','name':'room_temp','unit':'Cel','ts':'2026-11-22T10:00:01.000Z','value':21.5,'quality':'uncertain'}],'events':[]}";

    private const string Events1 = "{'v':1,'agent':'agent-01','stream':'events','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z','metrics':[]," +
        "'events':[{'device':'mr-01','type':'state','ts':'2026-11-22T09:59:58.120Z','data':{'state':'scanning','previous':'idle'}}]}";

    private const string Hash = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";

    private static TelemetryResult<TelemetryBatch> Read(string singleQuoted, TelemetryReaderOptions? options = null) =>
        TelemetryBatchReader.Read(Encoding.UTF8.GetBytes(Q(singleQuoted)), options);

    private static void AssertSameBatch(TelemetryBatch expected, TelemetryBatch actual)
    {
        Assert.Equal((expected.Agent, expected.Stream, expected.Seq, expected.Prev, expected.Created),
            (actual.Agent, actual.Stream, actual.Seq, actual.Prev, actual.Created));
        Assert.Equal(expected.Metrics, actual.Metrics);
        Assert.Equal(expected.Events.Count, actual.Events.Count);
        for (var i = 0; i < expected.Events.Count; i++)
        {
            Assert.Equal((expected.Events[i].Device, expected.Events[i].Type, expected.Events[i].Timestamp),
                (actual.Events[i].Device, actual.Events[i].Type, actual.Events[i].Timestamp));
            Assert.Equal(expected.Events[i].Data.ToArray(), actual.Events[i].Data.ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(5000)]
    public void Read_WhatTheWriterWrote_SameBatch(int points)
    {
        var batch = TelemetrySamples.LargeMetricsBatch(points, seq: 7, prev: Hash);
        var result = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(batch));
        Assert.True(result.Success, result.Error);
        AssertSameBatch(batch, result.Value);
    }

    [Fact]
    public void Read_EventsBatch_SameBatchWithEveryValueKind()
    {
        var batch = TelemetrySamples.EventsBatch(seq: 3, prev: Hash);
        var result = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(batch));
        Assert.True(result.Success, result.Error);
        AssertSameBatch(batch, result.Value);
        Assert.Equal(EventValue.FromBoolean(true), result.Value.Events[1].Data["active"]);
        Assert.Equal(EventValue.FromNumber(2), result.Value.Events[1].Data["severity"]);
    }

    [Fact]
    public void Read_GoldenJson_Fields()
    {
        var batch = Read(Metrics1).Value;
        Assert.Equal(TelemetrySamples.MetricsBatch().Metrics, batch.Metrics);
        Assert.Equal(TelemetrySamples.Created, batch.Created);
        Assert.Null(batch.Prev);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void Read_RepeatedDeviceNames_ShareOneStringInstance()
    {
        var batch = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(TelemetrySamples.LargeMetricsBatch(100))).Value;
        Assert.Same(batch.Metrics[0].Device, batch.Metrics[1].Device);
        Assert.Same(batch.Metrics[0].Name, batch.Metrics[8].Name);
    }

    [Theory]
    // Members in another order, whitespace, escapes that spell allowed characters, explicit "good".
    [InlineData("{ 'events' : [ ] , 'metrics':[], 'created':'2026-11-22T10:00:01.250Z','prev':null,'seq':1,'stream':'metrics','agent':'agent-01','v':1 }\n")]
    [InlineData("{'v':1,'agent':'agent\\u002d01','stream':'metr\\u0069cs','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z','metrics':[{'value':1e3,'ts':'2026-11-22T10:00:01.000Z','name':'a.b_c:d','device':'d','quality':'good'}],'events':[]}")]
    [InlineData("{'v':1,'agent':'a','stream':'events','seq':2,'prev':'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU','created':'2026-11-22T10:00:01.250Z','metrics':[],'events':[{'device':'am-03','type':'x-acme.powder_lot','ts':'2026-02-28T23:59:59.999Z','data':{}}]}")]
    [InlineData("{'v':1,'agent':'a','stream':'events','seq':9007199254740991,'prev':'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU','created':'2024-02-29T00:00:00.000Z','metrics':[],'events':[{'device':'d','type':'build.layer','ts':'0001-01-01T00:00:00.000Z','data':{'_k':'','n':-0.5e-3,'b':false}}]}")]
    public void Read_ValidVariants_Accepted(string json)
    {
        var result = Read(json);
        Assert.True(result.Success, result.Error);
    }

    [Theory]
    // Top level
    [InlineData("[]", "payload: must be a JSON object")]
    [InlineData("", "payload: malformed JSON")]
    [InlineData("{'v':1", "v: malformed JSON at byte 5")]
    [InlineData("{'v':1,'agent':'a','stream':'metrics','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z','metrics':[],'events':[]} {}", "payload: malformed JSON at byte 121")]
    [InlineData("{'v':1,'agent':'a','stream':'metrics','seq':1,'prev':null,'created':'2026-11-22T10:00:01.250Z','metrics':[],'events':[],}", "payload: malformed JSON at byte 120")]
    [InlineData("{'v':2,'agent':'a'}", "v: unsupported envelope version 2 (this reader reads 1)")]
    [InlineData("{'v':'1'}", "v: must be the integer 1")]
    [InlineData("{'v':1.0}", "v: must be the integer 1")]
    [InlineData("{'v':1,'v':1}", "payload: duplicate member 'v'")]
    [InlineData("{'v':1,'extra':true}", "payload: unknown member 'extra' (envelope v1 allows no others)")]
    [InlineData("{'v':1,'agent':'agent 01'}", "agent: must be a string of 1 to 64 characters from [A-Za-z0-9._-]")]
    [InlineData("{'v':1,'agent':'mr:01'}", "agent: must be a string")]
    [InlineData("{'v':1,'agent':null}", "agent: must be a string")]
    [InlineData("{'stream':'alarms'}", "stream: must be \"metrics\" or \"events\"")]
    [InlineData("{'seq':0}", "seq: must be an integer from 1 to 2^53-1")]
    [InlineData("{'seq':9007199254740992}", "seq: must be an integer from 1 to 2^53-1")]
    [InlineData("{'seq':1.5}", "seq: must be an integer")]
    [InlineData("{'seq':'1'}", "seq: must be an integer")]
    [InlineData("{'prev':'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU='}", "prev: must be null or 43 characters of canonical base64url")]
    [InlineData("{'prev':'47DEQpj8HBSa+/TImW-5JCeuQeRkm5NMpJWZG3hSuFU'}", "prev: must be null or 43 characters")]
    [InlineData("{'prev':'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFV'}", "prev: must be null or 43 characters")] // non-zero pad bits
    [InlineData("{'created':'2026-11-22T10:00:01Z'}", "created: not an RFC 3339 UTC timestamp")]
    [InlineData("{'metrics':{}}", "metrics: must be an array")]
    [InlineData("{'events':null}", "events: must be an array")]
    public void Read_BrokenTopLevel_RefusedWithReason(string json, string reason)
    {
        var result = Read(json);
        Assert.False(result.Success);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'v':1,", "v: required member missing")]
    [InlineData("'agent':'agent-01',", "agent: required member missing")]
    [InlineData("'prev':null,", "prev: required member missing")]
    [InlineData("'created':'2026-11-22T10:00:01.250Z',", "created: required member missing")]
    [InlineData(",'events':[]", "events: required member missing")]
    public void Read_MissingMember_RefusedNamingIt(string remove, string reason)
    {
        var result = Read(Metrics1.Replace(remove, "", StringComparison.Ordinal));
        Assert.Equal(reason, result.Error);
    }

    [Theory]
    [InlineData("'seq':1,'prev':null", "'seq':2,'prev':null", "prev: must be the hash of batch seq-1 when seq > 1, not null")]
    [InlineData("'prev':null", "'prev':'47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'", "prev: must be null when seq is 1")]
    // Metric points
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':'2026-11-22T10:00:01.000+00:00','value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ)")]
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':'2026-02-29T10:00:01.000Z','value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':'2026-11-22T23:59:60.000Z','value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':'2026-11-22t10:00:01.000z','value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':'2026-11-22T10:00:01.0000Z','value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'ts':'2026-11-22T10:00:01.000Z','value':21.5", "'ts':1763805601000,'value':21.5", "metrics[1].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'value':21.5", "'value':'21.5'", "metrics[1].value: must be a finite JSON number")]
    [InlineData("'value':21.5", "'value':1e999", "metrics[1].value: must be a finite JSON number")]
    [InlineData("'value':21.5", "'value':NaN", "metrics[1].value: malformed JSON")]
    [InlineData("'value':21.5", "'value':null", "metrics[1].value: must be a finite JSON number")]
    [InlineData(",'value':21.5", "", "metrics[1].value: required member missing")]
    [InlineData("'device':'mr-01','name':'room_temp'", "'name':'room_temp'", "metrics[1].device: required member missing")]
    [InlineData("'device':'mr-01','name':'room_temp'", "'device':'mr 01','name':'room_temp'", "metrics[1].device: must be a string of 1 to 64 characters from [A-Za-z0-9._:-]")]
    [InlineData("'device':'mr-01','name':'room_temp'", "'device':'mr-01','name':''", "metrics[1].name: must be a string")]
    [InlineData("'device':'mr-01','name':'room_temp'", "'device':'mr-01','name':'température'", "metrics[1].name: must be a string")]
    [InlineData("'unit':'Cel'", "'unit':null", "metrics[1].unit: must be a string of 1 to 32 printable ASCII characters other than space, '\"' and '\\' (omit it when there is none)")]
    [InlineData("'unit':'Cel'", "'unit':''", "metrics[1].unit: must be a string")]
    [InlineData("'unit':'Cel'", "'unit':'°C'", "metrics[1].unit: must be a string")]
    [InlineData("'quality':'uncertain'", "'quality':'Uncertain'", "metrics[1].quality: must be \"uncertain\" or \"bad\" (omitted when good)")]
    [InlineData("'quality':'uncertain'", "'quality':'uncertain','extra':1", "metrics[1]: unknown member 'extra'")]
    [InlineData("'quality':'uncertain'", "'quality':'uncertain','value':2", "metrics[1]: duplicate member 'value'")]
    [InlineData("'metrics':[{", "'metrics':[7,{", "metrics[0]: must be an object")]
    public void Read_BrokenMetricsBatch_RefusedWithPathAndReason(string find, string replace, string reason)
    {
        var json = Metrics1.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Metrics1, json);
        var result = Read(json);
        Assert.False(result.Success);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'type':'state'", "'type':'alarm'", "events[0].type: must be a type of SPEC.md §event types or \"x-<vendor>.<name>\"")]
    [InlineData("'type':'state'", "'type':'x-acme'", "events[0].type: must be")]
    [InlineData("'type':'state'", "'type':'x-ACME.thing'", "events[0].type: must be")]
    [InlineData("'type':'state'", "'type':'x-.thing'", "events[0].type: must be")]
    [InlineData("'type':'state'", "'type':'State'", "events[0].type: must be")]
    [InlineData(",'data':{'state':'scanning','previous':'idle'}", "", "events[0].data: required member missing (use {} when there are no attributes)")]
    [InlineData("'data':{'state'", "'data':{'st ate'", "events[0].data: key 'st ate' is not an ASCII identifier")]
    [InlineData("'data':{'state'", "'data':{'9state'", "events[0].data: key '9state' is not")]
    [InlineData("'previous':'idle'", "'state':'idle'", "events[0].data: duplicate key 'state'")]
    [InlineData("'previous':'idle'", "'previous':null", "events[0].data.previous: must be a string, a number or a boolean (no null, object or array)")]
    [InlineData("'previous':'idle'", "'previous':{'a':1}", "events[0].data.previous: must be a string, a number or a boolean")]
    [InlineData("'previous':'idle'", "'previous':[1]", "events[0].data.previous: must be a string, a number or a boolean")]
    [InlineData("'previous':'idle'", "'previous':'\\ud800'", "events[0].data.previous: is not valid Unicode (lone surrogate escape)")]
    [InlineData("'data':{", "'data':[", "events[0].data: must be an object")]
    [InlineData("'ts':'2026-11-22T09:59:58.120Z'", "'ts':'2026-13-22T09:59:58.120Z'", "events[0].ts: not an RFC 3339 UTC timestamp")]
    [InlineData("'device':'mr-01','type'", "'device':'mr-01','kind':'x','type'", "events[0]: unknown member 'kind'")]
    public void Read_BrokenEventsBatch_RefusedWithPathAndReason(string find, string replace, string reason)
    {
        var json = Events1.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Events1, json);
        var result = Read(json);
        Assert.False(result.Success);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LongText_RefusedOverLimitAcceptedAtLimit()
    {
        string WithText(string text) => Events1.Replace("'idle'", "'" + text + "'", StringComparison.Ordinal);
        Assert.True(Read(WithText(new string('é', 512))).Success);
        Assert.Equal("events[0].data.previous: longer than 1024 UTF-8 bytes", Read(WithText(new string('é', 512) + "x")).Error);
        Assert.Equal("events[0].data.previous: longer than 1024 UTF-8 bytes", Read(WithText(new string('x', 7000))).Error);
    }

    [Fact]
    public void Read_TooManyDataEntries_Refused()
    {
        var entries = string.Join(",", Enumerable.Range(0, 65).Select(i => $"'k{i}':{i}"));
        var json = Events1.Replace("'state':'scanning','previous':'idle'", entries, StringComparison.Ordinal);
        Assert.Equal("events[0].data: more than 64 entries", Read(json).Error);
    }

    [Fact]
    public void Read_MorePointsThanTheLimit_RefusedBeforeReadingThemAll()
    {
        var options = new TelemetryReaderOptions { MaxMetrics = 1 };
        Assert.Equal("metrics: more than 1 points", Read(Metrics1, options).Error);
        Assert.True(Read(Metrics1, new TelemetryReaderOptions { MaxMetrics = 2 }).Success);
        Assert.Equal("events: more than 0 events", Read(Events1, new TelemetryReaderOptions { MaxEvents = 0 }).Error);
    }

    [Fact]
    public void Read_PayloadOverTheByteLimit_RefusedBeforeParsing()
    {
        var bytes = Encoding.UTF8.GetBytes(Q(Metrics1));
        var result = TelemetryBatchReader.Read(bytes, new TelemetryReaderOptions { MaxPayloadBytes = bytes.Length - 1 });
        Assert.Equal($"payload: {bytes.Length} bytes, more than the limit of {bytes.Length - 1}", result.Error);
    }

    [Fact]
    public void Read_ByteOrderMark_Refused()
    {
        var bytes = "\xEF\xBB\xBF"u8.ToArray().Concat(Encoding.UTF8.GetBytes(Q(Metrics1))).ToArray();
        Assert.Equal("payload: starts with a byte order mark (RFC 8259 §8.1)", TelemetryBatchReader.Read(bytes).Error);
    }

    [Fact]
    public void Read_InvalidUtf8InAString_Refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Q(Events1));
        var at = Array.IndexOf(bytes, (byte)'i', Encoding.UTF8.GetString(bytes).IndexOf("idle", StringComparison.Ordinal));
        bytes[at] = 0xC3; // a lead byte followed by 'd': invalid
        Assert.Equal("payload: not valid UTF-8 (RFC 8259 §8.1)", TelemetryBatchReader.Read(bytes).Error);
    }

    [Fact]
    public void Read_Comment_Refused()
    {
        Assert.StartsWith("payload: malformed JSON", Read("{/*c*/'v':1}").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeepNesting_RefusedWithoutRecursion()
    {
        var json = "{'v':1,'events':[{'data':{'a':" + new string('[', 10_000) + "}]}";
        Assert.False(Read(json).Success);
    }

    [Fact]
    public void Value_OfFailedResult_ThrowsWithTheReason()
    {
        var result = Read("[]");
        var ex = Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Equal("payload: must be a JSON object", ex.Message);
        Assert.False(result.TryGetValue(out _));
    }

    [Fact]
    public void Read_TimestampsAcrossTheRange_RoundTripToTheMillisecond()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var ms = random.NextInt64(-62_135_596_800_000, 253_402_300_799_999);
            var ts = Instant.FromUnixTimeMilliseconds(ms);
            var batch = TelemetrySamples.MetricsBatch() with { Created = ts, Metrics = [new MetricPoint("d", "n", null, ts, i)] };
            var back = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(batch)).Value;
            Assert.Equal(ts, back.Created);
            Assert.Equal(ts, back.Metrics[0].Timestamp);
        }
    }
}
