using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Cloud;

/// <summary>
/// The real agent (or a stream the test sealed) → real mosquitto → ingestion → the real SQLite stores:
/// every batch stored once and contiguous with its points, bad messages in quarantine with their reason,
/// two instances on one shared subscription, an instance abandoned mid-stream, a gap filled by resend.
/// </summary>
public sealed class IngestionEndToEndTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);
    private static readonly MosquittoOptions Broker = new() { ExtraConfigLines = ["max_inflight_messages 1000"] };
    private readonly string data = Directory.CreateTempSubdirectory("eqiot-cloud-test-").FullName;

    [Fact]
    public async Task Ingestion_AgentStreams_EveryBatchStoredContiguousWithThePointsTheAgentSent()
    {
        await using var broker = await MosquittoBroker.StartAsync(Broker);
        await using var agent = await AgentRun.CreateAsync("agent-cloud", [AgentRun.SyntheticDevice("mr-01", metrics: 10, stateEvery: "00:00:00.300")]);
        await using var ingestion = await IngestionRun.StartAsync(broker, data);
        await RegisterAsync(ingestion, agent);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);

        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 10, Long);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Events, 2, Long);
        Assert.Equal(0, await agent.StopAsync());

        await AssertStoredAsSentAsync(ingestion, verifier, "agent-cloud");
        Assert.Empty(await ingestion.Ledger.QuarantinedAsync(new QuarantineQuery(), CancellationToken.None));
        var device = await ingestion.Registry.GetDeviceAsync("mr-01", CancellationToken.None);
        Assert.NotNull(device?.LastSeen);
        Assert.Equal("agent-cloud", device.AgentId);
    }

    [Fact]
    public async Task Ingestion_TamperedUnknownMalformedConflictingAndReplayed_QuarantinedWithReasonReplayStoredOnceNoneInSeries()
    {
        await using var broker = await MosquittoBroker.StartAsync(Broker);
        await using var ingestion = await IngestionRun.StartAsync(broker, data);
        var start = SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(10);
        using var own = new SealedStream("own-01", 2, start);
        using var stranger = new SealedStream("stranger-01", 1, start);
        await own.RegisterAsync(ingestion.Registry);
        await using var publisher = await PublisherAsync(broker);
        var tampered = own.Jws(2).ToArray();
        var payload = Array.IndexOf(tampered, (byte)'.') + 5;
        tampered[payload] = tampered[payload] == (byte)'A' ? (byte)'B' : (byte)'A';

        await PublishAsync(publisher, "own-01", own.Jws(1));
        await PublishAsync(publisher, "own-01", tampered);
        await PublishAsync(publisher, "stranger-01", stranger.Jws(1));
        await PublishAsync(publisher, "own-01", "this is not a JWS"u8.ToArray());
        await PublishAsync(publisher, "own-01", own.Conflicting(1));
        await PublishAsync(publisher, "own-01", own.Jws(1)); // a replay of what is stored: a duplicate, not a violation

        await Wait.UntilAsync(async ct => (await ingestion.Ledger.QuarantinedAsync(new QuarantineQuery(), ct)).Count == 4
                && ingestion.Metrics.Snapshot().Duplicates == 1, Long, "four quarantines and one duplicate");
        var reasons = (await ingestion.Ledger.QuarantinedAsync(new QuarantineQuery(), CancellationToken.None)).Select(q => (q.Agent, q.Reason)).ToList();
        Assert.Contains(("own-01", QuarantineReason.BadSignature), reasons);
        Assert.Contains(("stranger-01", QuarantineReason.UnknownAgent), reasons);
        Assert.Contains(("own-01", QuarantineReason.Malformed), reasons);
        Assert.Contains(("own-01", QuarantineReason.Conflict), reasons);
        Assert.Equal(1, await ingestion.Ledger.CountBatchesAsync(CancellationToken.None));
        Assert.Equal(own.Jws(1), (await ingestion.Ledger.GetBatchAsync("own-01", TelemetryStreams.Metrics, 1, CancellationToken.None))!.Jws);
        var temps = await ingestion.Series.QueryAsync(new SeriesQuery("own-dev", "temp", start - Duration.FromDays(1), start + Duration.FromDays(1)), CancellationToken.None);
        Assert.Equal([21.0], temps.Select(p => p.Value)); // batch 1's point only: nothing quarantined, nothing twice
    }

    [Fact]
    public async Task Ingestion_TwoInstancesOnOneSharedSubscriptionAndOneDataDirectory_EachBatchStoredOnce()
    {
        const int Count = 200;
        await using var broker = await MosquittoBroker.StartAsync(Broker);
        await using var first = await IngestionRun.StartAsync(broker, data, instance: "1");
        await using var second = await IngestionRun.StartAsync(broker, data, instance: "2");
        var start = SystemClock.Instance.GetCurrentInstant() - Duration.FromHours(1);
        using var own = new SealedStream("own-02", Count, start);
        await own.RegisterAsync(first.Registry);
        await using var publisher = await PublisherAsync(broker);

        for (var seq = 1; seq <= Count; seq++) await PublishAsync(publisher, "own-02", own.Jws(seq));

        // An instance counts a batch as stored once its points are durable too, a moment after the ledger has it.
        await Wait.UntilAsync(async ct => await first.Ledger.CountBatchesAsync(ct) == Count && (await first.Ledger.OpenGapsAsync(ct)).Count == 0
            && first.Metrics.Snapshot().BatchesStored + second.Metrics.Snapshot().BatchesStored >= Count, Long, $"{Count} batches stored and no gap open");
        Assert.True(first.Metrics.Snapshot().Messages > 0 && second.Metrics.Snapshot().Messages > 0, "both instances took a share");
        Assert.Equal(Count, first.Metrics.Snapshot().BatchesStored + second.Metrics.Snapshot().BatchesStored);
        var temps = await first.Series.QueryAsync(new SeriesQuery("own-dev", "temp", start, start + Duration.FromDays(1)), CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, Count).Select(seq => 20.0 + seq), temps.Select(p => p.Value));
    }

    [Fact]
    public async Task Ingestion_AbandonedMidStreamAndRestarted_NothingLostOrDoubled()
    {
        await using var broker = await MosquittoBroker.StartAsync(Broker);
        await using var agent = await AgentRun.CreateAsync("agent-restart", [AgentRun.SyntheticDevice("mr-02", metrics: 20, interval: "00:00:00.050")]);
        var ingestion = await IngestionRun.StartAsync(broker, data);
        await RegisterAsync(ingestion, agent);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await Wait.UntilAsync(async ct => await ingestion.Ledger.CountBatchesAsync(ct) >= 5, Long, "five batches stored");

        ingestion.Abandon();
        var atAbandon = verifier.MaxSeq(TelemetryStreams.Metrics);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, atAbandon + 10, Long); // queued at the broker meanwhile
        await using var restarted = await IngestionRun.StartAsync(broker, data);
        Assert.Equal(0, await agent.StopAsync());

        await AssertStoredAsSentAsync(restarted, verifier, "agent-restart");
    }

    [Fact]
    public async Task Ingestion_GapInAStream_DetectedAskedForAndFilledByTheResentBatch()
    {
        await using var broker = await MosquittoBroker.StartAsync(Broker);
        await using var ingestion = await IngestionRun.StartAsync(broker, data);
        using var own = new SealedStream("own-gap", 3, SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(1));
        await own.RegisterAsync(ingestion.Registry);
        await using var publisher = await PublisherAsync(broker);
        var commands = new List<ResendCommand>();
        await using var agentSide = new MqttClient(new MqttClientOptionsBuilder().WithBroker(broker.Host, broker.Port).WithClientId("own-gap").Build())
        {
            MessageReceived = async (message, ct) =>
            {
                // Play the agent: answer resend by publishing the asked batches again, byte for byte, then the reply.
                var command = ResendCommand.Parse(message.Payload.Span).Value;
                lock (commands) commands.Add(command);
                for (var seq = command.From; seq <= command.To; seq++) await PublishAsync(publisher, "own-gap", own.Jws((int)seq));
                var reply = new ResendReply(command.Stream, command.From, command.To, command.To - command.From + 1, []);
                await publisher.PublishAsync(TelemetryTopics.Reply("own-gap", ResendCommand.Name), reply.ToUtf8(), MqttQualityOfService.AtLeastOnce,
                    cancellationToken: ct);
            },
        };
        await agentSide.ConnectAsync();
        await agentSide.SubscribeAsync(TelemetryTopics.Command("own-gap", ResendCommand.Name), MqttQualityOfService.AtLeastOnce);

        await PublishAsync(publisher, "own-gap", own.Jws(1));
        await PublishAsync(publisher, "own-gap", own.Jws(3));

        await Wait.UntilAsync(async ct => await ingestion.Ledger.CountBatchesAsync(ct) == 3 && (await ingestion.Ledger.OpenGapsAsync(ct)).Count == 0
                && ingestion.Metrics.Snapshot().ResendReplies >= 1, Long, "the gap filled and the reply recorded");
        lock (commands) Assert.Equal(new ResendCommand(TelemetryStreams.Metrics, 2, 2), commands[0]);
        var snapshot = ingestion.Metrics.Snapshot();
        Assert.Equal(1, snapshot.GapsOpened);
        Assert.Equal(1, snapshot.GapsFilled);
        var integrity = Assert.Single(await ingestion.Ledger.IntegrityAsync("own-gap", CancellationToken.None));
        Assert.Equal(1, integrity.GapsFilled);
        Assert.Equal(0, integrity.GapsOpen);
        Assert.Equal(own.Jws(2), (await ingestion.Ledger.GetBatchAsync("own-gap", TelemetryStreams.Metrics, 2, CancellationToken.None))!.Jws);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // Leave it for the OS to clean /tmp.
        }
    }

    private static async Task RegisterAsync(IngestionRun ingestion, AgentRun agent) =>
        await ingestion.Registry.AddAgentAsync(new NewAgent(agent.AgentId, await File.ReadAllTextAsync(agent.PublicKeyFile), null, null,
            SystemClock.Instance.GetCurrentInstant()), CancellationToken.None);

    private static async Task<MqttClient> PublisherAsync(MosquittoBroker broker)
    {
        var client = new MqttClient(new MqttClientOptionsBuilder().WithBroker(broker.Host, broker.Port).WithClientId("test-publisher").Build());
        await client.ConnectAsync();
        return client;
    }

    private static async Task PublishAsync(MqttClient publisher, string agent, byte[] payload) =>
        await publisher.PublishAsync(TelemetryTopics.Telemetry(agent), payload, MqttQualityOfService.AtLeastOnce);

    /// <summary>Every batch the verifier saw is in the ledger with the same bytes, contiguous from 1, and the series holds its points once.</summary>
    private static async Task AssertStoredAsSentAsync(IngestionRun ingestion, TelemetryVerifier verifier, string agent)
    {
        foreach (var stream in new[] { TelemetryStreams.Metrics, TelemetryStreams.Events })
        {
            var max = verifier.MaxSeq(stream);
            Assert.Empty(verifier.ChainProblems(stream));
            if (max == 0) continue; // the agent sent nothing on this stream
            await Wait.UntilAsync(async ct => await ingestion.Ledger.GetBatchAsync(agent, stream, max, ct) is not null
                && (await ingestion.Ledger.OpenGapsAsync(ct)).Count == 0, Long, $"{stream} batches 1..{max} stored");
            for (var seq = 1; seq <= max; seq++)
            {
                var stored = await ingestion.Ledger.GetBatchAsync(agent, stream, seq, CancellationToken.None);
                Assert.True(stored is not null, $"{stream} seq {seq} stored");
                Assert.Equal(verifier.Get(stream, seq)!.Jws, stored.Jws);
            }
        }

        var sent = verifier.Batches(TelemetryStreams.Metrics).SelectMany(b => b.Batch.Metrics).ToList();
        foreach (var series in sent.GroupBy(p => (p.Device, p.Name)))
        {
            var from = series.Min(p => p.Timestamp);
            var to = series.Max(p => p.Timestamp) + Duration.FromMilliseconds(1);
            var stored = await ingestion.Series.QueryAsync(new SeriesQuery(series.Key.Device, series.Key.Name, from, to), CancellationToken.None);
            Assert.Equal(series.OrderBy(p => p.Timestamp).Select(p => (p.Timestamp, p.Value)), stored.Select(p => (p.Time, p.Value)));
        }
    }
}
