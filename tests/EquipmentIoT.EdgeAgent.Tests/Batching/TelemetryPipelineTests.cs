using System.Buffers.Text;
using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using static EquipmentIoT.EdgeAgent.Tests.Batching.PipelineTestContext;

namespace EquipmentIoT.EdgeAgent.Tests.Batching;

/// <summary>
/// The pipeline and its per-stream sealers on a real buffer and a real key: what reaches the disk is
/// signed, numbered from 1 and chained, continues across a restart, is thinned or dropped (and counted)
/// only on the metrics stream under pressure, and carries no patient data.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TelemetryPipelineTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);

    [Fact]
    public async Task RunAsync_Stopped_EveryBatchOnDiskSignedNumberedFromOneAndChained()
    {
        await using var context = new PipelineTestContext();
        using var key = context.CreateKeyFile();
        var buffer = context.OpenBuffer();

        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p =>
        {
            for (var i = 0; i < 5; i++) p.AddMetric(Point($"m{i}", T0 + Duration.FromSeconds(i), i));
            for (var i = 0; i < 3; i++) p.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0 + Duration.FromSeconds(i)));
        });

        var metrics = await ReadVerifiedAsync(buffer, BufferStreams.Metrics, key);
        var events = await ReadVerifiedAsync(buffer, BufferStreams.Events, key);
        // MaxPoints 2, MaxEvents 2: 2 + 2 + 1 readings, 2 + 1 events.
        Assert.Equal([2, 2, 1], metrics.Select(r => r.Batch.Metrics.Count));
        Assert.Equal([2, 1], events.Select(r => r.Batch.Events.Count));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], metrics.SelectMany(r => r.Batch.Metrics).Select(m => m.Name));
        AssertChain(metrics, BufferStreams.Metrics, firstSeq: 1, previous: null);
        AssertChain(events, BufferStreams.Events, firstSeq: 1, previous: null);
        Assert.All(metrics.Concat(events), r => Assert.Equal(AgentId, r.Batch.Agent));
        Assert.Equal(5, context.Counters.SealedBatches);
        Assert.Equal(5, context.Counters.CollectedPoints);
        Assert.Equal(3, context.Counters.CollectedEvents);
        Assert.Equal(0, context.Counters.DroppedPoints);
    }

    [Fact]
    public async Task RunAsync_BufferReopened_NewPipelineContinuesSeqAndPrev()
    {
        await using var context = new PipelineTestContext();
        using var key = context.CreateKeyFile();
        var first = context.OpenBuffer();
        await CollectAndFlushAsync(context.Pipeline(first, context.KeyProvider()), p =>
        {
            for (var i = 0; i < 4; i++) p.AddMetric(Point("helium_level", T0 + Duration.FromSeconds(i), 70 - i));
            p.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0));
        });
        var before = await ReadVerifiedAsync(first, BufferStreams.Metrics, key);
        var eventsBefore = await ReadVerifiedAsync(first, BufferStreams.Events, key);
        await first.DisposeAsync();

        var second = context.OpenBuffer();
        await CollectAndFlushAsync(context.Pipeline(second, context.KeyProvider()), p =>
        {
            for (var i = 4; i < 7; i++) p.AddMetric(Point("helium_level", T0 + Duration.FromSeconds(i), 70 - i));
            p.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0 + Duration.FromSeconds(10)));
        });

        var after = await ReadVerifiedAsync(second, BufferStreams.Metrics, key);
        var eventsAfter = await ReadVerifiedAsync(second, BufferStreams.Events, key);
        Assert.Equal([1, 2, 3, 4], after.Select(r => r.Batch.Seq));
        Assert.Equal(before.Select(r => r.Jws), after.Take(2).Select(r => r.Jws));
        AssertChain(after, BufferStreams.Metrics, firstSeq: 1, previous: null);
        Assert.Equal(TelemetryChain.Hash(before[^1].Jws), after[2].Batch.Prev);
        Assert.Equal([1, 2], eventsAfter.Select(r => r.Batch.Seq));
        Assert.Equal(TelemetryChain.Hash(eventsBefore[^1].Jws), eventsAfter[1].Batch.Prev);
    }

    [Fact]
    public async Task RunAsync_BufferFull_MetricsBatchesDroppedAndCountedEventsStillStored()
    {
        await using var context = new PipelineTestContext();
        // All of the bound but one byte is the events' reserve: any metrics record is refused, so the buffer reports Full.
        context.BufferOptions.MaxBytes = 1L << 20;
        context.BufferOptions.CriticalReserveBytes = (1L << 20) - 1;
        using var key = context.CreateKeyFile();
        var buffer = context.OpenBuffer();
        Assert.Equal(BufferPressure.Full, buffer.Pressure);

        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p =>
        {
            p.AddMetric(Point("helium_level", T0));
            p.AddMetric(Point("room_temp", T0));
            p.AddMetric(Point("chiller_water_temp", T0));
            p.AddEvent(new TelemetryEvent("mr-01", EventTypes.Fault, T0, new Dictionary<string, EventValue> { ["code"] = "E-104", ["active"] = true }));
        });

        Assert.Equal(0, buffer.LastSeq(BufferStreams.Metrics));
        Assert.Equal(2, context.Counters.DroppedBatches);
        Assert.Equal(3, context.Counters.DroppedPoints);
        var records = await ReadVerifiedAsync(buffer, BufferStreams.Events, key);
        var events = records.SelectMany(r => r.Batch.Events).ToList();
        Assert.Contains(events, e => e.Type == EventTypes.Fault && e.Data["code"].AsString == "E-104");
        // The drop itself is on the record too: an agent event on the events stream, which is never dropped.
        Assert.Contains(events, e => e.Type == EventTypes.Agent && e.Data["what"].AsString == "buffer.full" && e.Data["droppedPointsTotal"].AsNumber > 0);
        Assert.Equal(records.Count, context.Counters.SealedBatches);
    }

    [Fact]
    public async Task RunAsync_BufferThinning_OneReadingPerMetricPerIntervalKeptAndTheRestCounted()
    {
        await using var context = new PipelineTestContext();
        context.Options.Batch.MaxPoints = 1000;
        context.BufferOptions.MaxBytes = 1L << 20;
        context.BufferOptions.ThinningThreshold = 0.0001; // ~105 bytes: the first sealed batch crosses it
        using var key = context.CreateKeyFile();
        var buffer = context.OpenBuffer();
        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p => p.AddMetric(Point("helium_level", T0 - Duration.FromHours(1))));
        Assert.Equal(BufferPressure.Thinning, buffer.Pressure);

        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p =>
        {
            foreach (var seconds in new[] { 0, 10, 30, 60, 90, 120 }) p.AddMetric(Point("helium_level", T0 + Duration.FromSeconds(seconds), seconds));
            p.AddMetric(Point("room_temp", T0, 21));
            p.AddMetric(Point("room_temp", T0 + Duration.FromSeconds(10), 21.5));
        });

        var records = await ReadVerifiedAsync(buffer, BufferStreams.Metrics, key);
        Assert.Equal(2, records.Count);
        var kept = records[1].Batch.Metrics.Select(m => (m.Name, m.Value)).ToList();
        Assert.Equal([("helium_level", 0), ("helium_level", 60), ("helium_level", 120), ("room_temp", 21)], kept);
        Assert.Equal(4, context.Counters.ThinnedPoints);
        Assert.Equal(0, context.Counters.DroppedPoints);
        Assert.Equal(TelemetryChain.Hash(records[0].Jws), records[1].Batch.Prev);
    }

    [Fact]
    public async Task AddMetricAndEvent_BreakingTheEnvelopeRules_RefusedAndCountedTheRestStored()
    {
        await using var context = new PipelineTestContext();
        using var key = context.CreateKeyFile();
        var buffer = context.OpenBuffer();

        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p =>
        {
            p.AddMetric(Point("ok_before", T0, 1));
            p.AddMetric(new MetricPoint("mr-01", "chiller_water", "°C", T0, 12.5)); // a profile's unit that is not ASCII
            p.AddMetric(Point("not_a_number", T0, double.NaN));
            p.AddMetric(Point("ok_after", T0, 2));
            p.AddEvent(new TelemetryEvent("mr-01", "recoater", T0)); // not an envelope event type
            p.AddEvent(new TelemetryEvent("mr-01", EventTypes.State, T0));
        });

        var metrics = (await ReadVerifiedAsync(buffer, BufferStreams.Metrics, key)).SelectMany(r => r.Batch.Metrics).Select(m => m.Name);
        var events = (await ReadVerifiedAsync(buffer, BufferStreams.Events, key)).SelectMany(r => r.Batch.Events).Select(e => e.Type);
        Assert.Equal(["ok_before", "ok_after"], metrics);
        Assert.Equal([EventTypes.State], events);
        Assert.Equal(2, context.Counters.RejectedPoints);
        Assert.Equal(1, context.Counters.RejectedEvents);
        Assert.Contains("refused an event mr-01 recoater: type:", context.Counters.LastError ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEvent_PatientData_ScrubbedBeforeTheBuffer()
    {
        await using var context = new PipelineTestContext();
        using var key = context.CreateKeyFile();
        var buffer = context.OpenBuffer();

        await CollectAndFlushAsync(context.Pipeline(buffer, context.KeyProvider()), p => p.AddEvent(new TelemetryEvent("mr-01", EventTypes.ExamStarted, T0,
            new Dictionary<string, EventValue>
            {
                ["PatientName"] = "ZHANG^SAN",
                ["PatientID"] = "MRN884213",
                ["PatientBirthDate"] = "19800101",
                ["Modality"] = "MR",
            })));

        var exam = Assert.Single(Assert.Single(await ReadVerifiedAsync(buffer, BufferStreams.Events, key)).Batch.Events);
        Assert.False(exam.Data.ContainsKey("PatientName"));
        Assert.False(exam.Data.ContainsKey("PatientBirthDate"));
        Assert.StartsWith("p-", exam.Data["PatientID"].AsString, StringComparison.Ordinal);
        Assert.Equal("MR", exam.Data["Modality"].AsString);
        Assert.Equal(context.Scrubber.Pseudonymise("patient-id", "MRN884213"), exam.Data["PatientID"].AsString);
        // Nothing of the patient in the signed payload, nor anywhere in the buffer's files.
        var range = await buffer.ReadRangeAsync(BufferStreams.Events, 1, 1, CancellationToken.None);
        var payloadText = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Encoding.ASCII.GetString(range.Records[0].Payload.Span).Split('.')[1]));
        Assert.DoesNotContain("ZHANG", payloadText, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN884213", payloadText, StringComparison.Ordinal);
        Assert.DoesNotContain("19800101", payloadText, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(context.Root, "buffer"), "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("ZHANG", bytes, StringComparison.Ordinal);
        }
    }

    internal static void AssertChain(List<SealedRecord> records, string stream, long firstSeq, string? previous)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var batch = records[i].Batch;
            Assert.Equal(stream, batch.Stream);
            Assert.Equal(firstSeq + i, batch.Seq);
            Assert.Equal(i == 0 ? previous : TelemetryChain.Hash(records[i - 1].Jws), batch.Prev);
        }
    }
}
