using System.Runtime.Versioning;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.CloudStore;

/// <summary>
/// The batches of a simulated fleet, sealed before anything is timed: each agent has its own P-256 key and
/// chain, 10 devices × 5 metrics, one reading per metric per second, <c>points-per-batch</c> readings per batch.
/// In arrival order: round-robin over the agents, as a shared subscription interleaves them.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SealedFleet : IDisposable
{
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 1, 0, 0);
    private static readonly string[] Metrics = ["helium_level", "room_temp", "room_humidity", "chiller_flow", "compressor_current"];
    private static readonly string[] Units = ["%", "Cel", "%", "L/min", "A"];
    private const int Devices = 10;

    private readonly List<ECDsa> _keys = [];

    public SealedFleet(int agents, int batchesPerAgent, int pointsPerBatch)
    {
        var perAgent = new List<IncomingBatch>[agents];
        for (var a = 0; a < agents; a++)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _keys.Add(key);
            var signer = new JwsSigner(key);
            var agent = $"agent-{a:D4}";
            Verifier[signer.Kid] = key;
            perAgent[a] = [];
            string? prev = null;
            for (var seq = 1; seq <= batchesPerAgent; seq++)
            {
                var batch = new TelemetryBatch(agent, TelemetryStreams.Metrics, seq, prev, Start + Duration.FromSeconds(seq * 10),
                    Points(a, seq, pointsPerBatch), []);
                var sealedBatch = TelemetryEnvelope.Seal(batch, signer);
                // The batch as ingestion holds it: read back from its JSON (the reader shares one string per device and metric).
                var read = TelemetryBatchReader.Read(TelemetryBatchWriter.ToUtf8(batch));
                if (!read.Success) throw new InvalidOperationException("a generated batch does not read back: " + read.Error);
                perAgent[a].Add(new IncomingBatch(signer.Kid, sealedBatch.Hash, Start, sealedBatch.Jws, read.Value));
                prev = sealedBatch.Hash;
            }
        }
        for (var seq = 0; seq < batchesPerAgent; seq++)
        {
            for (var a = 0; a < agents; a++) Batches.Add(perAgent[a][seq]);
        }
    }

    /// <summary>Every batch, in arrival order.</summary>
    public List<IncomingBatch> Batches { get; } = [];

    /// <summary>Public keys by kid, for verifying.</summary>
    public Dictionary<string, ECDsa> Verifier { get; } = new(StringComparer.Ordinal);

    public long PointCount => Batches.Sum(b => (long)b.Batch.Metrics.Count);

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }

    private static MetricPoint[] Points(int agent, int seq, int count)
    {
        var perSecond = Devices * Metrics.Length;
        var points = new MetricPoint[count];
        for (var i = 0; i < count; i++)
        {
            var series = i % perSecond;
            var second = (long)(seq - 1) * ((count + perSecond - 1) / perSecond) + i / perSecond;
            var m = series % Metrics.Length;
            points[i] = new MetricPoint($"a{agent:D4}-dev{series / Metrics.Length:D2}", Metrics[m], Units[m], Start + Duration.FromSeconds(second),
                Math.Round(20 + 10 * Math.Sin((second + agent) / 300.0) + m, 3));
        }
        return points;
    }
}
