using System.Buffers;
using System.Diagnostics;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.Topics;
using NodaTime;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>One simulated agent: its id, public key (to register), topic and its metrics chain, sealed.</summary>
internal sealed record SimulatedAgent(string Id, string PublicKeyPem, string Topic, IReadOnlyList<byte[]> Batches);

/// <summary>
/// The load of <c>cloud-ingest</c>, built before the clock starts: for each agent a P-256 key and a chain of
/// metrics batches sealed as the agent seals them (real signatures, seq 1…N, prev = hash of the one before).
/// Each agent reads every metric of every device once a second, in order; a batch takes the next
/// points-per-batch readings, so it carries one chunk per series it touches. The last reading is now: nothing
/// lies ahead of the cloud's clock (Ingestion:MaxFutureSkew). Values come from a fixed seed per agent.
/// </summary>
internal sealed class SimulatedFleet
{
    private const int Seed = 20260401;

    private SimulatedFleet(IReadOnlyList<SimulatedAgent> agents, long points, TimeSpan sealTime)
    {
        Agents = agents;
        Points = points;
        SealTime = sealTime;
        Batches = agents.Sum(a => (long)a.Batches.Count);
        Bytes = agents.Sum(a => a.Batches.Sum(b => (long)b.Length));
    }

    public IReadOnlyList<SimulatedAgent> Agents { get; }

    public long Batches { get; }

    public long Points { get; }

    /// <summary>Bytes of JWS (the MQTT payloads).</summary>
    public long Bytes { get; }

    /// <summary>Wall time of building and sealing every chain (on every core).</summary>
    public TimeSpan SealTime { get; }

    /// <summary>
    /// The batches of <paramref name="agents"/> interleaved as one connection publishes them: batch 1 of each agent,
    /// then batch 2 of each, …; so in seq order per agent.
    /// </summary>
    public static IEnumerable<(SimulatedAgent Agent, byte[] Jws)> Interleaved(IReadOnlyList<SimulatedAgent> agents)
    {
        var rounds = agents.Count == 0 ? 0 : agents.Max(a => a.Batches.Count);
        for (var b = 0; b < rounds; b++)
        {
            foreach (var agent in agents)
            {
                if (b < agent.Batches.Count) yield return (agent, agent.Batches[b]);
            }
        }
    }

    public static SimulatedFleet Build(CloudIngestOptions o, Instant now)
    {
        var started = Stopwatch.GetTimestamp();
        var agents = new SimulatedAgent[o.Agents];
        Parallel.For(0, o.Agents, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => agents[i] = Seal(i, o, now));
        return new SimulatedFleet(agents, o.TotalPoints, Stopwatch.GetElapsedTime(started));
    }

    private static SimulatedAgent Seal(int index, CloudIngestOptions o, Instant now)
    {
        var id = $"bench-agent-{index + 1:D4}";
        var prefix = $"d{index + 1:D4}-";
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        var series = Series(prefix, o);
        var pointsPerAgent = (long)o.BatchesPerAgent * o.PointsPerBatch;
        var ticks = (pointsPerAgent + series.Length - 1) / series.Length;
        var first = now - Duration.FromSeconds(ticks);
#pragma warning disable CA5394 // Benchmark values, not security: a seeded generator makes runs reproducible.
        var random = new Random(Seed + index);
#pragma warning restore CA5394
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        var batches = new byte[o.BatchesPerAgent][];
        string? prev = null;
        long next = 0;
        for (var seq = 1; seq <= o.BatchesPerAgent; seq++)
        {
            var points = new MetricPoint[o.PointsPerBatch];
            for (var p = 0; p < points.Length; p++, next++)
            {
                var (device, metric) = series[next % series.Length];
#pragma warning disable CA5394
                var value = Math.Round(20 + (random.NextDouble() * 10), 3);
#pragma warning restore CA5394
                points[p] = new MetricPoint(device, metric, "Cel", first + Duration.FromSeconds(next / series.Length), value);
            }

            var created = points[^1].Timestamp;
            var sealedBatch = TelemetryEnvelope.Seal(new TelemetryBatch(id, TelemetryStreams.Metrics, seq, prev, created, points, []), signer, scratch);
            batches[seq - 1] = sealedBatch.Jws;
            prev = sealedBatch.Hash;
        }

        return new SimulatedAgent(id, AgentKeys.ExportPublicKeyPem(key), TelemetryTopics.Telemetry(id), batches);
    }

    // Device ids name the series with the metric (the series store keys on them alone): unique across agents.
    private static (string Device, string Metric)[] Series(string devicePrefix, CloudIngestOptions o) =>
        [.. from d in Enumerable.Range(1, o.DevicesPerAgent)
            from m in Enumerable.Range(1, o.MetricsPerDevice)
            select ($"{devicePrefix}{d:D2}", $"signal_{m:D3}")];
}
