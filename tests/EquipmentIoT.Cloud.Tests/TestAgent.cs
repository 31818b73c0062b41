using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests;

/// <summary>
/// An agent for tests: a P-256 key and a <see cref="JwsSigner"/> sealing real envelope-v1 batches, so that every
/// Jws, Hash and Prev the stores and ingestion see is genuine. Keeps each stream's chain hashes by seq: batches can
/// be sealed by seq (<see cref="Metrics"/>, <see cref="Events"/>) or one after another (<see cref="Next"/>).
/// </summary>
internal sealed class TestAgent : IDisposable
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 22, 10, 0, 0);

    private readonly ECDsa _key = AgentKeys.Generate();
    private readonly Dictionary<(string Stream, long Seq), string> _hashes = [];

    public TestAgent(string id = "agent-01")
    {
        Id = id;
        Signer = new JwsSigner(_key);
    }

    public string Id { get; }

    public JwsSigner Signer { get; }

    public string Kid => Signer.Kid;

    public string PublicKeyPem => AgentKeys.ExportPublicKeyPem(_key);

    public Task RegisterAsync(IRegistryStore registry, Instant at) =>
        registry.AddAgentAsync(new NewAgent(Id, PublicKeyPem, null, null, at), CancellationToken.None);

    /// <summary>The next metrics batch: <paramref name="points"/> points of device "dev-1" at <paramref name="at"/>, chained.</summary>
    public SealedBatch NextMetrics(Instant at, int points = 3) =>
        Next(TelemetryStreams.Metrics, at, [.. Enumerable.Range(0, points).Select(i => new MetricPoint("dev-1", "m" + i, "Cel", at, 20 + i))], []);

    /// <summary>The batch after the newest sealed on <paramref name="stream"/>, with the given content (and, for mismatch tests, another agent id).</summary>
    public SealedBatch Next(string stream, Instant created, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<TelemetryEvent> events, string? agent = null)
    {
        var seq = _hashes.Keys.Where(k => k.Stream == stream).Select(k => k.Seq).DefaultIfEmpty(0).Max() + 1;
        var sealedBatch = TelemetryEnvelope.Seal(new TelemetryBatch(agent ?? Id, stream, seq, PrevOf(stream, seq), created, metrics, events), Signer);
        _hashes[(stream, seq)] = sealedBatch.Hash;
        return sealedBatch;
    }

    /// <summary>Metrics batch <paramref name="seq"/>, chained to the batch sealed before at seq−1 (which must exist unless seq is 1).</summary>
    public IncomingBatch Metrics(long seq, params MetricPoint[] points) =>
        Seal(new TelemetryBatch(Id, TelemetryStreams.Metrics, seq, PrevOf(TelemetryStreams.Metrics, seq), T0 + Duration.FromSeconds(seq), points, []));

    /// <summary>Metrics batches 1…<paramref name="count"/>, each with <paramref name="pointsPerBatch"/> points of "mr-01"/"helium_level" one second apart.</summary>
    public List<IncomingBatch> MetricsChain(int count, int pointsPerBatch = 2)
    {
        var batches = new List<IncomingBatch>(count);
        for (var seq = 1; seq <= count; seq++) batches.Add(Metrics(seq, Points(seq, pointsPerBatch)));
        return batches;
    }

    /// <summary>Events batch <paramref name="seq"/>, chained like <see cref="Metrics"/>.</summary>
    public IncomingBatch Events(long seq, params TelemetryEvent[] events) =>
        Seal(new TelemetryBatch(Id, TelemetryStreams.Events, seq, PrevOf(TelemetryStreams.Events, seq), T0 + Duration.FromSeconds(seq), [], events));

    /// <summary>A batch at <paramref name="seq"/> with the given prev, not recorded in the chain: for conflicts and broken links.</summary>
    public IncomingBatch Forged(long seq, string? prev, double value = 99) =>
        Seal(new TelemetryBatch(Id, TelemetryStreams.Metrics, seq, prev, T0 + Duration.FromSeconds(seq),
            [new MetricPoint("mr-01", "helium_level", "%", T0 + Duration.FromSeconds(seq), value)], []), record: false);

    /// <summary>The points of batch <paramref name="seq"/> in <see cref="MetricsChain"/>: times (seq−1)·n … seq·n−1 seconds after T0.</summary>
    public static MetricPoint[] Points(long seq, int count)
    {
        var points = new MetricPoint[count];
        for (var i = 0; i < count; i++)
        {
            var second = (seq - 1) * count + i;
            points[i] = new MetricPoint("mr-01", "helium_level", "%", T0 + Duration.FromSeconds(second), 70 + second * 0.5);
        }
        return points;
    }

    public void Dispose() => _key.Dispose();

    private string? PrevOf(string stream, long seq) =>
        seq == 1 ? null : _hashes.TryGetValue((stream, seq - 1), out var hash) ? hash : throw new InvalidOperationException($"seal {stream} {seq - 1} first");

    private IncomingBatch Seal(TelemetryBatch batch, bool record = true)
    {
        var sealedBatch = TelemetryEnvelope.Seal(batch, Signer);
        if (record) _hashes[(batch.Stream, batch.Seq)] = sealedBatch.Hash;
        return new IncomingBatch(Kid, sealedBatch.Hash, T0 + Duration.FromSeconds(batch.Seq) + Duration.FromMilliseconds(500), sealedBatch.Jws, batch);
    }
}
