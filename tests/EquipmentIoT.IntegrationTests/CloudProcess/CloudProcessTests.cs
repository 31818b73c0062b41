using EquipmentIoT.IntegrationTests.Agent;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.CloudProcess;

/// <summary>
/// The real <c>eqiot-cloud</c> and <c>eqiot-agent</c> processes through a real mosquitto: what the agent sent is
/// what the API returns, a SIGKILL of the cloud loses and doubles nothing, and a backup taken while ingestion runs
/// restores every batch it held.
/// </summary>
public sealed class CloudProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Run_AgentThroughBrokerToCloud_ApiReturnsEveryBatchAndTheLatestValuesSent()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = await CloudRun.CreateAsync();
        await using var agent = await AgentRun.CreateAsync("agent-api", [AgentRun.SyntheticDevice("mr-api", metrics: 5, stateEvery: "00:00:00.300")]);
        await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await cloud.StartAsync(broker);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 10, Long);
        Assert.Equal(0, await agent.StopAsync());

        var sent = verifier.Count(TelemetryStreams.Metrics) + verifier.Count(TelemetryStreams.Events);
        await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)).Stored == sent, Long, $"the cloud to store all {sent} batches");
        var integrity = await cloud.Http.IntegrityAsync(agent.AgentId);
        Assert.Equal(0, integrity.Quarantined);
        Assert.Equal(0, integrity.GapsOpen);
        Assert.Equal(verifier.Points, await cloud.Http.StoredPointsAsync("mr-api"));

        // The newest value of each metric is the last one the agent sent.
        var lastSent = verifier.Batches(TelemetryStreams.Metrics).SelectMany(b => b.Batch.Metrics)
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Timestamp).Value);
        var device = await cloud.Http.GetJsonAsync("/api/v1/devices/mr-api");
        var latest = device.GetProperty("latest").EnumerateArray().ToDictionary(l => l.GetProperty("metric").GetString()!, l => l.GetProperty("value").GetDouble());
        Assert.Equal(lastSent.OrderBy(p => p.Key), latest.OrderBy(p => p.Key));
        var states = await cloud.Http.GetJsonAsync("/api/v1/events?device=mr-api&type=state&limit=1000");
        Assert.Equal(verifier.Batches(TelemetryStreams.Events).Sum(b => b.Batch.Events.Count(e => e.Type == "state")), states.GetArrayLength());
    }

    [Fact]
    public async Task Run_CloudKilledMidStreamAndRestarted_EveryBatchStoredOnceNoPointDoubled()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = await CloudRun.CreateAsync();
        await using var agent = await AgentRun.CreateAsync("agent-kill", [AgentRun.SyntheticDevice("mr-kill", metrics: 20, interval: "00:00:00.020")]);
        await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await cloud.StartAsync(broker);
        await agent.StartAsync(broker);

        await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)).Stored >= 20, Long, "20 batches stored");
        await cloud.KillAsync();
        // The agent goes on; the broker keeps what it publishes for the cloud's persistent session.
        var atKill = verifier.Count(TelemetryStreams.Metrics);
        await Wait.UntilAsync(() => verifier.Count(TelemetryStreams.Metrics) >= atKill + 20, Long, "20 more batches while the cloud is down");
        await cloud.StartAsync(broker);
        Assert.Equal(0, await agent.StopAsync());

        var sent = verifier.Count(TelemetryStreams.Metrics) + verifier.Count(TelemetryStreams.Events);
        await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)) is { Stored: var s, GapsOpen: 0 } && s == sent, Long,
            $"the restarted cloud to hold all {sent} batches without gaps");
        Assert.Equal(0, (await cloud.Http.IntegrityAsync(agent.AgentId)).Quarantined);
        Assert.Equal(verifier.Points, await cloud.Http.StoredPointsAsync("mr-kill"));
        Assert.Contains(cloud.Log, l => l.Contains("session present: True", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_WhileIngesting_RestoresEveryBatchStoredBeforeItIntoAnInstanceThatStarts()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = await CloudRun.CreateAsync();
        await using var agent = await AgentRun.CreateAsync("agent-backup", [AgentRun.SyntheticDevice("mr-backup", metrics: 20, interval: "00:00:00.020")]);
        await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile);
        await cloud.StartAsync(broker);
        await agent.StartAsync(broker);
        await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)).Stored >= 30, Long, "30 batches stored");

        var before = (await cloud.Http.IntegrityAsync(agent.AgentId)).Stored;
        var backup = Path.Combine(cloud.DataDirectory, "..", $"backup-{Guid.NewGuid():N}.zip");
        try
        {
            var output = await EqiotCloud.RunAsync("backup", backup, "--data", cloud.DataDirectory);
            Assert.Contains("batches", output, StringComparison.Ordinal);
            var after = (await cloud.Http.IntegrityAsync(agent.AgentId)).Stored;
            // The online backup does not stop ingestion (a fast backup may finish between two batches: wait, bounded).
            await Wait.UntilAsync(async t => (await cloud.Http.IntegrityAsync(agent.AgentId, t)).Stored > before, Long, "ingestion to go on past the backup");

            // Restoring over the running instance is refused; into a new directory it works and the instance starts.
            var refused = EqiotCloud.Start(["restore", backup, "--data", cloud.DataDirectory, "--force"]);
            await using (refused) Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("in use", refused.StderrTail(), StringComparison.Ordinal);

            // Its own broker: on the agent's, it would share the live stream with the first instance.
            await using var quietBroker = await MosquittoBroker.StartAsync();
            await using var restored = await CloudRun.CreateRestoredAsync(backup);
            await restored.StartAsync(quietBroker);
            var integrity = await restored.Http.IntegrityAsync(agent.AgentId);
            Assert.InRange(integrity.Stored, before, after);
            Assert.Equal(0, integrity.GapsOpen);
            Assert.True(await restored.Http.StoredPointsAsync("mr-backup") >= before * 1, "the restored series hold the stored batches' points");
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task Healthz_BrokerStoppedAndRestarted_DegradedThenHealthyAgain()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = await CloudRun.CreateAsync();
        await cloud.StartAsync(broker);
        Assert.Equal("Healthy", await HealthAsync(cloud));

        await broker.StopAsync();
        await Wait.UntilAsync(async t => await HealthAsync(cloud, t) == "Degraded", Long, "/healthz to say Degraded without the broker");
        await broker.RestartAsync();
        await Wait.UntilAsync(async t => await HealthAsync(cloud, t) == "Healthy", Long, "/healthz to be Healthy after the broker came back");
    }

    private static async Task<string> HealthAsync(CloudRun cloud, CancellationToken cancellationToken = default)
    {
        using var response = await cloud.Http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    [Fact]
    public async Task AgentsAdd_SameKeyTwice_SecondIsRefusedWithTheReason()
    {
        await using var cloud = await CloudRun.CreateAsync();
        await using var agent = await AgentRun.CreateAsync("agent-cli", [AgentRun.SyntheticDevice("mr-cli", metrics: 1)]);
        Assert.Contains("registered agent agent-cli", await cloud.AddAgentAsync(agent.AgentId, agent.PublicKeyFile), StringComparison.Ordinal);
        await using var again = EqiotCloud.Start(["agents", "add", "--id", "agent-cli-2", "--public-key", agent.PublicKeyFile, "--data", cloud.DataDirectory]);
        Assert.Equal(1, await again.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("already registered", again.StderrTail(), StringComparison.Ordinal);
        var listed = await EqiotCloud.RunAsync("agents", "list", "--data", cloud.DataDirectory);
        Assert.Contains("agent-cli", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-cli-2", listed, StringComparison.Ordinal);
    }
}
