using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>
/// An agent for store tests: a P-256 key and a <see cref="JwsSigner"/> sealing real envelope-v1 batches, so
/// that every Jws, Hash and Prev the stores see is genuine. Keeps each stream's chain hashes by seq.
/// </summary>
internal sealed class TestAgent : IDisposable
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 11, 22, 10, 0, 0);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JwsSigner _signer;
    private readonly Dictionary<(string Stream, long Seq), string> _hashes = [];

    public TestAgent(string id = "agent-01")
    {
        Id = id;
        _signer = new JwsSigner(_key);
    }

    public string Id { get; }

    public string Kid => _signer.Kid;

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
        var sealedBatch = TelemetryEnvelope.Seal(batch, _signer);
        if (record) _hashes[(batch.Stream, batch.Seq)] = sealedBatch.Hash;
        return new IncomingBatch(Kid, sealedBatch.Hash, T0 + Duration.FromSeconds(batch.Seq) + Duration.FromMilliseconds(500), sealedBatch.Jws, batch);
    }
}
