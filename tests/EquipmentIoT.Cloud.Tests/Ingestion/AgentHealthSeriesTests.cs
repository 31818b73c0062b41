using System.Buffers;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Storage;
using EquipmentIoT.Protocols.Telemetry.State;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

public sealed class AgentHealthSeriesTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 12, 2, 8, 0, 0);

    [Fact]
    public void Read_RecordWithBufferAndDropped_HealthFiguresAsWritten()
    {
        var (state, error) = AgentStateReader.Read(Record(new AgentBufferState(42, 9000, 12.5, 65536, 1 << 28, BufferPressure.Thinning),
            new AgentDroppedCounts(100, 7, 1)));

        Assert.Null(error);
        Assert.Equal(new AgentHealthFigures(42, 65536, 12.5, 100, 7, 1), state!.Health);
    }

    [Fact]
    public void Read_RecordWithoutOptionalMembers_NoHealthAndNoSeries()
    {
        var (state, _) = AgentStateReader.Read(Record(null, null));

        Assert.Null(state!.Health);
        Assert.Null(AgentHealthSeries.BatchOf(state));
    }

    [Fact]
    public void Read_HostileNumbers_LeftOutNotThrown_RecordStillRead()
    {
        var json = """{"agent":"a1","status":"online","at":"2026-12-02T08:00:00Z","buffer":{"unsentBatches":-5,"usedBytes":"many","oldestUnsentAgeSeconds":1e400,"x":{"y":1}},"dropped":[1,2]}"""u8;

        var (state, error) = AgentStateReader.Read(json);

        Assert.Null(error);
        Assert.Equal("a1", state!.Agent);
        Assert.Null(state.Health);
    }

    [Fact]
    public async Task BatchOf_WrittenTwice_OnePointPerMetricUnderTheAgent()
    {
        var (state, _) = AgentStateReader.Read(Record(new AgentBufferState(3, 300, null, 4096, 1 << 28, BufferPressure.Normal), new AgentDroppedCounts(0, 0, 0)));
        var batch = AgentHealthSeries.BatchOf(state!)!;
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();

        await series.WriteAsync([batch], CancellationToken.None);
        await series.WriteAsync([AgentHealthSeries.BatchOf(state!)!], CancellationToken.None);

        Assert.True(batch.BatchId < 0);
        var info = await series.SeriesAsync("agent-01", CancellationToken.None);
        Assert.Equal(
            // No oldest-age point: three batches are unsent and the record does not say how old the oldest is.
            [AgentHealthSeries.BufferBatches, AgentHealthSeries.BufferBytes, AgentHealthSeries.DroppedBatches,
             AgentHealthSeries.DroppedPoints, AgentHealthSeries.ThinnedPoints],
            info.Select(i => i.Metric).Order(StringComparer.Ordinal));
        Assert.All(info, i => Assert.Equal(1, i.Points));
        var depth = await series.QueryAsync(new SeriesQuery("agent-01", AgentHealthSeries.BufferBatches, At, At + Duration.FromSeconds(1)), CancellationToken.None);
        Assert.Equal(3, Assert.Single(depth).Value);
    }

    [Fact]
    public void SyntheticBatchId_DiffersByAgentAndTime()
    {
        var ids = new[] { ("a1", At), ("a2", At), ("a1", At + Duration.FromMilliseconds(1)) }.Select(x => AgentHealthSeries.SyntheticBatchId(x.Item1, x.Item2)).ToList();

        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id < 0));
    }

    private static byte[] Record(AgentBufferState? buffer, AgentDroppedCounts? dropped)
    {
        var output = new ArrayBufferWriter<byte>();
        AgentStateWriter.Write(new AgentStateRecord { Agent = "agent-01", At = At, Buffer = buffer, Dropped = dropped }, output);
        return output.WrittenSpan.ToArray();
    }
}
