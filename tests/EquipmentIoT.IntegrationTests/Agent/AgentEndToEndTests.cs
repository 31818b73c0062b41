using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Agent;

/// <summary>The real agent process → real mosquitto → a verifying subscriber: signatures, sequence, chain, state, resend, patient data.</summary>
public sealed partial class AgentEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    // The invented patients of the synthetic adapter (SyntheticAdapter.FakeNames) and the shapes of its invented ids.
    private static readonly string[] FakeNames = ["ZHANG^SAN", "LI^SI", "WANG^WU", "张^三", "Doe^Jane"];

    [Fact]
    public async Task Run_SteadyStream_EveryBatchVerifiesAndChainsAndStateIsRetained()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-e2e",
            [AgentRun.SyntheticDevice("mr-01", metrics: 10, stateEvery: "00:00:00.300")]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);

        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 10, Long);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Events, 2, Long);
        await Wait.UntilAsync(() => verifier.State is not null, Long, "the retained state record");

        Assert.Empty(verifier.Problems);
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Metrics));
        Assert.Empty(verifier.ChainProblems(TelemetryStreams.Events));
        var first = verifier.Get(TelemetryStreams.Metrics, 1)!.Batch;
        Assert.Equal("agent-e2e", first.Agent);
        Assert.All(first.Metrics, p => Assert.Equal("mr-01", p.Device));
        Assert.Contains(verifier.Batches(TelemetryStreams.Events).SelectMany(b => b.Batch.Events), e => e.Type == EventTypes.State);
        using (var state = verifier.State!)
        {
            Assert.Equal("online", state.RootElement.GetProperty("status").GetString());
            Assert.Equal("agent-e2e", state.RootElement.GetProperty("agent").GetString());
            Assert.True(state.RootElement.TryGetProperty("buffer", out _), "the state record carries the buffer");
        }

        Assert.Equal(0, await agent.StopAsync());
        await Wait.UntilAsync(() => verifier.State?.RootElement.GetProperty("status").GetString() == "offline", Long, "the offline state record");
        Assert.Contains(agent.Log, l => l.Contains("Stopped; 0 batches stay on disk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ExamsWithPatientData_NoPatientValueInTheBufferOrOnTheWire()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-phi",
            [AgentRun.SyntheticDevice("ct-01", metrics: 1, examEvery: "00:00:00.100", fakePatients: true, seed: 7)]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);

        await Wait.UntilAsync(() => verifier.Batches(TelemetryStreams.Events).Sum(b => b.Batch.Events.Count) >= 20, Long, "20 exam events");
        Assert.Equal(0, await agent.StopAsync());

        var exams = verifier.Batches(TelemetryStreams.Events).SelectMany(b => b.Batch.Events).Where(e => e.Type == EventTypes.ExamStarted).ToList();
        Assert.NotEmpty(exams);
        Assert.All(exams, e =>
        {
            Assert.False(e.Data.ContainsKey("PatientName"));
            Assert.False(e.Data.ContainsKey("PatientBirthDate"));
            Assert.StartsWith("p-", e.Data["PatientID"].AsString, StringComparison.Ordinal);
            Assert.StartsWith("a-", e.Data["AccessionNumber"].AsString, StringComparison.Ordinal);
        });

        // The same checks on every JWS payload that went over the wire and every one stored on disk.
        var onDisk = Directory.EnumerateFiles(agent.BufferDirectory, "*", SearchOption.AllDirectories)
            .SelectMany(f => JwsPayloads(File.ReadAllBytes(f))).ToList();
        Assert.NotEmpty(onDisk);
        foreach (var json in verifier.Wire.SelectMany(JwsPayloads).Concat(onDisk))
        {
            Assert.DoesNotContain(FakeNames, n => json.Contains(n, StringComparison.Ordinal));
            Assert.DoesNotMatch(MrnPattern(), json);
            Assert.DoesNotContain("PatientBirthDate", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResendCommand_RangeOnDisk_RepublishesIdenticalBatchesAndReplies()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-resend", [AgentRun.SyntheticDevice("mr-01", metrics: 5)]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 5, Long);
        var before = verifier.Duplicates;

        await verifier.Client.PublishAsync(TelemetryTopics.Command("agent-resend", "resend"),
            Encoding.UTF8.GetBytes("""{"stream":"metrics","from":2,"to":4}"""), MqttQualityOfService.AtLeastOnce);

        await Wait.UntilAsync(() => verifier.OtherMessages.Any(m => m.Topic == TelemetryTopics.Reply("agent-resend", "resend")), Long, "the resend reply");
        var reply = JsonNode.Parse(verifier.OtherMessages.First(m => m.Topic.EndsWith("/reply/resend", StringComparison.Ordinal)).Payload)!;
        Assert.Equal(3, reply["republished"]!.GetValue<long>());
        Assert.Empty(reply["unavailable"]!.AsArray());
        await Wait.UntilAsync(() => verifier.Duplicates - before >= 3, Long, "three identical copies");
        Assert.Empty(verifier.Problems);
    }

    [Fact]
    public async Task ResendCommand_Malformed_IsRejectedAndTheAgentCarriesOn()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentRun.CreateAsync("agent-badcmd", [AgentRun.SyntheticDevice("mr-01", metrics: 2)]);
        await using var verifier = await TelemetryVerifier.StartAsync(broker, agent);
        await agent.StartAsync(broker);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, 2, Long);

        await verifier.Client.PublishAsync(TelemetryTopics.Command("agent-badcmd", "resend"), Encoding.UTF8.GetBytes("{\"stream\":\"metrics\",\"from\":9,"), MqttQualityOfService.AtLeastOnce);
        await verifier.Client.PublishAsync(TelemetryTopics.Command("agent-badcmd", "reboot"), Encoding.UTF8.GetBytes("{}"), MqttQualityOfService.AtLeastOnce);

        await agent.WaitForLogAsync(l => l.Contains("Rejected command reboot", StringComparison.Ordinal), Long, "the unknown command rejected");
        Assert.Contains(agent.Log, l => l.Contains("Rejected command resend", StringComparison.Ordinal));
        var seen = verifier.MaxSeq(TelemetryStreams.Metrics);
        await verifier.WaitForContiguousAsync(TelemetryStreams.Metrics, seen + 3, Long);
        Assert.False(agent.Process.HasExited);
    }

    // JWS compact serialisations found in raw bytes (wire payloads or buffer segment files), payloads decoded.
    internal static IEnumerable<string> JwsPayloads(byte[] raw)
    {
        foreach (Match m in JwsPattern().Matches(Encoding.ASCII.GetString(raw)))
        {
            yield return Encoding.UTF8.GetString(Base64UrlDecode(m.Groups[1].Value));
        }
    }

    private static byte[] Base64UrlDecode(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]{86}")]
    private static partial Regex JwsPattern();

    [GeneratedRegex(@"MRN\d{6}")]
    private static partial Regex MrnPattern();
}
