using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>An agent for tests: a P-256 key, and batches sealed on its streams with a correct chain.</summary>
internal sealed class TestAgent : IDisposable
{
    private readonly ECDsa key = AgentKeys.Generate();
    private readonly Dictionary<string, (long Seq, string? Hash)> streams = new(StringComparer.Ordinal);

    public TestAgent(string id)
    {
        Id = id;
        Signer = new JwsSigner(key);
    }

    public string Id { get; }

    public JwsSigner Signer { get; }

    public string Kid => Signer.Kid;

    public string PublicKeyPem => AgentKeys.ExportPublicKeyPem(key);

    public Task RegisterAsync(IRegistryStore registry, Instant at) =>
        registry.AddAgentAsync(new NewAgent(Id, PublicKeyPem, null, null, at), CancellationToken.None);

    /// <summary>The next metrics batch: <paramref name="points"/> points of device "dev-1" at <paramref name="at"/>, chained.</summary>
    public SealedBatch NextMetrics(Instant at, int points = 3) =>
        Next(TelemetryStreams.Metrics, at, [.. Enumerable.Range(0, points).Select(i => new MetricPoint("dev-1", "m" + i, "Cel", at, 20 + i))], []);

    /// <summary>The next batch of <paramref name="stream"/> with the given content.</summary>
    public SealedBatch Next(string stream, Instant created, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<TelemetryEvent> events, string? agent = null)
    {
        var (seq, prev) = streams.GetValueOrDefault(stream, (0, null));
        var sealedBatch = TelemetryEnvelope.Seal(new TelemetryBatch(agent ?? Id, stream, seq + 1, prev, created, metrics, events), Signer);
        streams[stream] = (seq + 1, sealedBatch.Hash);
        return sealedBatch;
    }

    public void Dispose() => key.Dispose();
}
