using System.Text.Json.Nodes;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>What an engineer gets wrong on site: a broken key file, a broker that refuses us, TLS with a client certificate.</summary>
public sealed class AgentFaultTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CorruptKeyFile_AgentKeepsRunningAndSaysWhyInLogAndHealth()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-badkey", [AgentRun.SyntheticDevice("mr-01", metrics: 2)]);
        await File.WriteAllTextAsync(agent.PrivateKeyFile, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);

        await agent.WaitForLogAsync(l => l.Contains("Cannot sign", StringComparison.Ordinal), Long, "the key problem in the log");
        await Wait.UntilAsync(() => verifier.State?.RootElement.TryGetProperty("lastError", out var e) == true
                                    && e.GetString()?.Contains("signing key", StringComparison.Ordinal) == true, Long, "the key problem in the health record");
        Assert.False(agent.Process.HasExited);
        Assert.Equal(0, verifier.Count(TelemetryStreams.Metrics));
        // Shutdown does not hang on a key that never comes, and says what it could not keep.
        Assert.Equal(0, await agent.StopAsync());
        Assert.Contains(agent.Log, l => l.Contains("could not be signed and stored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BrokerRefusesUs_AgentKeepsCollectingToDiskAndLogsTheRefusal()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["someone-else"] = "secret" },
        });
        await using var agent = await AgentRun.CreateAsync("agent-refused", [AgentRun.SyntheticDevice("mr-01", metrics: 5)]);
        await agent.StartAsync(broker);

        await agent.WaitForLogAsync(l => l.Contains("Cannot connect to the broker", StringComparison.Ordinal), Long, "the refusal in the log");
        var metrics = Path.Combine(agent.BufferDirectory, "metrics");
        await Wait.UntilAsync(() => Directory.Exists(metrics) && Directory.EnumerateFiles(metrics, "*.seg").Sum(f => new FileInfo(f).Length) > 4096,
            Long, "batches stored while refused");
        Assert.False(agent.Process.HasExited);
        Assert.Equal(0, await agent.StopAsync());
        Assert.Contains(agent.Log, l => l.Contains("batches stay on disk for the next start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BrokerAcl_RecommendedPatternPerAgent_AgentPublishesAndReceivesCommandsWithItsCredentials()
    {
        // The deployment the spec recommends (SPEC.md §2): the agent id is the MQTT user name and an ACL
        // pattern confines every agent to eq/v1/{its id}/#; the cloud's user may read and command all.
        var acl = Path.Combine(Path.GetTempPath(), $"eqiot-acl-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(acl, "user cloud\ntopic readwrite eq/v1/#\n\npattern readwrite eq/v1/%u/#\n");
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
            {
                AllowAnonymous = false,
                Users = new Dictionary<string, string> { ["agent-acl"] = "agent-password", ["cloud"] = "cloud-password" },
                ExtraConfigLines = [$"acl_file {acl}"],
            });
            await using var agent = await AgentRun.CreateAsync("agent-acl", [AgentRun.SyntheticDevice("mr-01", metrics: 2)], a =>
            {
                var passwordFile = Path.Combine(a["DataDirectory"]!.GetValue<string>(), "keys", "mqtt.password");
                a["Transport"] = new JsonObject
                {
                    ["Kind"] = "mqtt",
                    ["Mqtt"] = new JsonObject { ["UserName"] = "agent-acl", ["PasswordFile"] = passwordFile, ["MaxReconnectDelay"] = "00:00:01" },
                };
            });
            await File.WriteAllTextAsync(Path.Combine(agent.DataDirectory, "keys", "mqtt.password"), "agent-password\n");
            await using var verifier = await TelemetryVerifier.StartAsync(broker, agent, userName: "cloud", password: "cloud-password");
            await agent.StartAsync(broker);

            await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 3, Long);
            await verifier.Client.PublishAsync(Protocols.Telemetry.Topics.TelemetryTopics.Command("agent-acl", "resend"),
                System.Text.Encoding.UTF8.GetBytes("""{"stream":"metrics","from":1,"to":1}"""), Protocols.Mqtt.MqttQualityOfService.AtLeastOnce);
            await Wait.UntilAsync(() => verifier.OtherMessages.Any(m => m.Topic == "eq/v1/agent-acl/reply/resend"), Long, "the resend reply through the ACL");
            Assert.Empty(verifier.Problems);
        }
        finally
        {
            File.Delete(acl);
        }
    }

    [Fact]
    public async Task MutualTls_WithClientCertificate_BatchesArriveVerified()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        await using var agent = await AgentRun.CreateAsync("agent-mtls", [AgentRun.SyntheticDevice("mr-01", metrics: 3)], a =>
            a["Transport"] = new JsonObject
            {
                ["Kind"] = "mqtt",
                ["Mqtt"] = new JsonObject
                {
                    ["CaFile"] = broker.CaFile,
                    ["CertFile"] = broker.ClientCertFile,
                    ["CertKeyFile"] = broker.ClientKeyFile,
                },
            });
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync($"mqtts://127.0.0.1:{broker.TlsPort}");

        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 3, Long);
        Assert.Empty(verifier.Problems);
        Assert.Contains(agent.Log, l => l.Contains("Connected to mqtts://127.0.0.1", StringComparison.Ordinal));
    }
}
