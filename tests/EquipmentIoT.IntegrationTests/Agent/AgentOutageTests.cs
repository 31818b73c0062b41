using System.Text.Json.Nodes;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>Outages and crashes: the broker going away, SIGKILL, a torn last record, a full buffer. Nothing collected is lost.</summary>
public sealed class AgentOutageTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task BrokerDown_DuringSteadyStream_EveryBatchArrivesOnceInOrderAfterItReturns()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        await using var agent = await AgentRun.CreateAsync("agent-outage",
            [AgentRun.SyntheticDevice("mr-01", metrics: 20, stateEvery: "00:00:00.500")]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 5, Long);

        await broker.StopAsync();
        await agent.WaitForLogAsync(l => l.Contains("Connection to the broker lost", StringComparison.Ordinal), Long, "the agent to notice");
        // Collection goes on while the broker is away: wait until the buffer holds 15 batches more than were delivered.
        var delivered = verifier.MaxSeq(TelemetryStreams.Metrics);
        await Wait.UntilAsync(() => SegmentBytes(agent, "metrics") > 0 && LastSeqOnDisk(agent) >= delivered + 15, Long, "batches collected during the outage");
        var collectedDuringOutage = LastSeqOnDisk(agent);

        await broker.RestartAsync();
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, collectedDuringOutage + 5, Long);

        Assert.Empty(verifier.Problems);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Metrics));
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Events));
        Assert.Equal(verifier.MaxSeq(TelemetryStreams.Metrics), verifier.Count(TelemetryStreams.Metrics));
        Assert.False(agent.Process.HasExited);
    }

    [Fact]
    public async Task SigKill_MidStream_NothingOnDiskIsLostAndTheChainContinues()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-kill",
            [AgentRun.SyntheticDevice("mr-01", metrics: 50, interval: "00:00:00.020", stateEvery: "00:00:00.200")]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 20, Long);

        await agent.KillAsync();
        var onDiskAtKill = LastSeqOnDisk(agent);
        await agent.StartAsync(broker);

        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, onDiskAtKill + 10, Long);
        Assert.Empty(verifier.Problems);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Metrics));
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Events));
    }

    [Fact]
    public async Task TornLastRecord_OnRestart_IsCutReportedAndTheChainContinuesFromTheLastCompleteRecord()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-torn", [AgentRun.SyntheticDevice("mr-01", metrics: 10)]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 5, Long);
        await agent.KillAsync();

        // A write torn by a power cut: the first bytes of a record that never completed.
        var newest = Directory.EnumerateFiles(Path.Combine(agent.BufferDirectory, "metrics"), "*.seg").Order(StringComparer.Ordinal).Last();
        var whole = await File.ReadAllBytesAsync(newest);
        await using (var f = new FileStream(newest, FileMode.Append))
        {
            await f.WriteAsync(whole.AsMemory(0, Math.Min(whole.Length, 37)));
        }

        await agent.StartAsync(broker);
        var last = verifier.MaxSeq(TelemetryStreams.Metrics);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, last + 5, Long);
        Assert.Contains(agent.Log, l => l.Contains("cut", StringComparison.OrdinalIgnoreCase) && l.Contains("metrics", StringComparison.Ordinal));
        // The cut is also reported to the cloud, signed, on the events stream.
        await Wait.UntilAsync(() => AgentEvents(verifier).Any(e => e.Data["what"].AsString == "buffer.recovery" && e.Data["bytesCut"].AsNumber > 0),
            Long, "the buffer.recovery agent event");
        Assert.Empty(verifier.Problems);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Metrics));
    }

    [Fact]
    public async Task BufferFull_WhileTheBrokerIsAway_MetricsAreThinnedThenDroppedAndCountedEventsAllArrive()
    {
        // A broker we stop at once: the agent starts during an outage.
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        await broker.StopAsync();
        await using var agent = await AgentRun.CreateAsync("agent-full",
            [AgentRun.SyntheticDevice("mr-01", metrics: 2000, interval: "00:00:00.050", stateEvery: "00:00:00.050")],
            a =>
            {
                a["Buffer"] = new JsonObject
                {
                    ["MaxBytes"] = 1 << 20,
                    ["SegmentBytes"] = 64 * 1024,
                    ["ThinningThreshold"] = 0.5,
                    ["ThinningInterval"] = "00:00:01",
                };
                a["Batch"] = new JsonObject { ["MaxPoints"] = 2000, ["MaxEvents"] = 100, ["MaxAge"] = "00:00:00.200" };
            });
        await agent.StartAsync($"mqtt://127.0.0.1:{broker.Port}");
        await agent.WaitForLogAsync(l => l.Contains("thinning metrics", StringComparison.Ordinal), Long, "thinning to start");
        await agent.WaitForLogAsync(l => l.Contains("Dropped a metrics batch", StringComparison.Ordinal), Long, "metrics to be dropped");

        await broker.RestartAsync();
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await Wait.UntilAsync(() => verifier.State is { } s && s.RootElement.GetProperty("dropped").GetProperty("droppedPoints").GetInt64() > 0,
            Long, "the state record to report the drops");
        using var state = verifier.State!;
        Assert.True(state.RootElement.GetProperty("dropped").GetProperty("thinnedPoints").GetInt64() > 0);

        // The verifier subscribed late, so ask for the events stream from the start; it was never dropped.
        var events = LastSeqOnDisk(agent, "events");
        await verifier.Client.PublishAsync(Protocols.Telemetry.Topics.TelemetryTopics.Command("agent-full", "resend"),
            System.Text.Encoding.UTF8.GetBytes($$"""{"stream":"events","from":1,"to":{{events}}}"""), Protocols.Mqtt.MqttQualityOfService.AtLeastOnce);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Events, events, Long);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Events));
        Assert.Contains(AgentEvents(verifier), e => e.Data["what"].AsString == "buffer.thinning");
        Assert.Contains(AgentEvents(verifier), e => e.Data["what"].AsString == "buffer.full" && e.Data["droppedPointsTotal"].AsNumber > 0);
        Assert.Empty(verifier.Problems);
    }

    private static List<TelemetryEvent> AgentEvents(TelemetryVerifier verifier) =>
        verifier.Batches(TelemetryStreams.Events).SelectMany(b => b.Batch.Events).Where(e => e.Type == EventTypes.Agent).ToList();

    private static long SegmentBytes(AgentRun agent, string stream)
    {
        var dir = Path.Combine(agent.BufferDirectory, stream);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.seg").Sum(f => new FileInfo(f).Length) : 0;
    }

    // The highest seq stored on disk for a stream, read from the JWS payloads in its segment files.
    private static long LastSeqOnDisk(AgentRun agent, string stream = "metrics") =>
        Directory.EnumerateFiles(Path.Combine(agent.BufferDirectory, stream), "*.seg")
            .SelectMany(f => AgentEndToEndTests.JwsPayloads(File.ReadAllBytes(f)))
            .Select(json => JsonNode.Parse(json)!["seq"]!.GetValue<long>())
            .DefaultIfEmpty(0).Max();
}
