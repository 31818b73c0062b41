using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Cloud;

/// <summary>
/// An agent played by the test: its own P-256 key (registered, or not, as the test likes) and a metrics
/// chain sealed in advance, so that batches can be published in any order, twice, or not at all.
/// </summary>
internal sealed class SealedStream : IDisposable
{
    private readonly ECDsa key = AgentKeys.Generate();
    private readonly List<SealedBatch> batches = [];

    public SealedStream(string agentId, int count, Instant start)
    {
        AgentId = agentId;
        Signer = new JwsSigner(key);
        string? prev = null;
        for (var seq = 1; seq <= count; seq++)
        {
            var at = start + Duration.FromSeconds(seq);
            var points = new[] { new MetricPoint("own-dev", "temp", "Cel", at, 20 + seq), new MetricPoint("own-dev", "flow", "L/min", at, seq) };
            var sealedBatch = TelemetryEnvelope.Seal(new TelemetryBatch(agentId, TelemetryStreams.Metrics, seq, prev, at, points, []), Signer);
            batches.Add(sealedBatch);
            prev = sealedBatch.Hash;
        }
    }

    public string AgentId { get; }

    public JwsSigner Signer { get; }

    /// <summary>The JWS of batch <paramref name="seq"/> (1-based).</summary>
    public byte[] Jws(int seq) => batches[seq - 1].Jws;

    /// <summary>Another batch that claims place <paramref name="seq"/>, signed with the same key: a conflict.</summary>
    public byte[] Conflicting(int seq)
    {
        var original = batches[seq - 1];
        var prev = seq == 1 ? null : batches[seq - 2].Hash;
        var at = SystemClock.Instance.GetCurrentInstant();
        var conflicting = TelemetryEnvelope.Seal(
            new TelemetryBatch(AgentId, TelemetryStreams.Metrics, seq, prev, at, [new MetricPoint("own-dev", "temp", "Cel", at, -1)], []), Signer).Jws;
        Assert.False(conflicting.AsSpan().SequenceEqual(original.Jws), "a conflicting batch has other bytes");
        return conflicting;
    }

    public Task RegisterAsync(IRegistryStore registry) =>
        registry.AddAgentAsync(new NewAgent(AgentId, AgentKeys.ExportPublicKeyPem(key), null, "played by a test", SystemClock.Instance.GetCurrentInstant()),
            CancellationToken.None);

    public void Dispose() => key.Dispose();
}
