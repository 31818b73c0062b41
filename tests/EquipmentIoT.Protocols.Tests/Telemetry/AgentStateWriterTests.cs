using System.Text;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.State;
using NodaTime;
using static EquipmentIoT.Protocols.Tests.Telemetry.TelemetryBatchWriterTests;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>The retained state record and last will (SPEC.md §state).</summary>
public class AgentStateWriterTests
{
    private static readonly Instant Started = Instant.FromUtc(2026, 11, 22, 8, 0);
    private static readonly Instant At = Instant.FromUtc(2026, 11, 22, 10, 0, 1);

    private static AgentStateRecord Full() => new()
    {
        Agent = "agent-01",
        Version = "1.4.0",
        Started = Started,
        At = At,
        UptimeSeconds = 7201,
        Buffer = new AgentBufferState(3, 48_000, 12.5, 1_000_000, 1_073_741_824, BufferPressure.Normal),
        Dropped = new AgentDroppedCounts(0, 0, 0),
        Adapters = [new AdapterState("mr-01", "modbus-tcp", AdapterStatus.Ok), new AdapterState("ct-02", "serial", AdapterStatus.Down, "no reply from /dev/ttyUSB0")],
        Transport = new TransportState("mqtt", true),
    };

    [Fact]
    public void Write_FullRecord_GoldenJson()
    {
        Assert.Equal(Q(
            "{'v':1,'agent':'agent-01','status':'online','version':'1.4.0','started':'2026-11-22T08:00:00.000Z','at':'2026-11-22T10:00:01.000Z'," +
            "'uptimeSeconds':7201,'buffer':{'unsentBatches':3,'unsentBytes':48000,'oldestUnsentAgeSeconds':12.5,'usedBytes':1000000,'maxBytes':1073741824,'pressure':'normal'}," +
            "'dropped':{'thinnedPoints':0,'droppedPoints':0,'droppedBatches':0}," +
            "'adapters':[{'device':'mr-01','adapter':'modbus-tcp','status':'ok','lastError':null},{'device':'ct-02','adapter':'serial','status':'down','lastError':'no reply from /dev/ttyUSB0'}]," +
            "'transport':{'kind':'mqtt','connected':true,'lastError':null},'lastError':null,'clock':{'utc':'2026-11-22T10:00:01.000Z'}}"),
            Encoding.UTF8.GetString(AgentStateWriter.ToUtf8(Full())));
    }

    [Fact]
    public void Write_MinimalRecord_OnlyRequiredMembers()
    {
        var json = Encoding.UTF8.GetString(AgentStateWriter.ToUtf8(new AgentStateRecord { Agent = "a", At = At }));
        Assert.Equal(Q("{'v':1,'agent':'a','status':'online','at':'2026-11-22T10:00:01.000Z','lastError':null,'clock':{'utc':'2026-11-22T10:00:01.000Z'}}"), json);
    }

    [Fact]
    public void ToUtf8Offline_SameRecordWithStatusOffline()
    {
        var record = Full() with { Buffer = Full().Buffer! with { OldestUnsentAgeSeconds = null, Pressure = BufferPressure.Full } };
        using var online = JsonDocument.Parse(AgentStateWriter.ToUtf8(record));
        using var offline = JsonDocument.Parse(AgentStateWriter.ToUtf8Offline(record));

        Assert.Equal("online", online.RootElement.GetProperty("status").GetString());
        Assert.Equal("offline", offline.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, offline.RootElement.GetProperty("buffer").GetProperty("oldestUnsentAgeSeconds").ValueKind);
        Assert.Equal("full", offline.RootElement.GetProperty("buffer").GetProperty("pressure").GetString());
    }

    [Fact]
    public void Write_InvalidAgentId_Throws() =>
        Assert.Throws<ArgumentException>(() => AgentStateWriter.ToUtf8(new AgentStateRecord { Agent = "a/b", At = At }));
}
