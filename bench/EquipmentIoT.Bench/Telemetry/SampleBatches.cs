using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.Telemetry;

/// <summary>
/// Metrics batches shaped like the agent's synthetic load: device "mr-01", metrics signal_000…signal_099
/// read every 100 ms, unit "Cel", values with three decimals (as SyntheticAdapter rounds them), from a
/// fixed seed so every run signs the same bytes. About 90 bytes of JSON per point.
/// </summary>
internal sealed class SampleBatches
{
    public const string AgentId = "bench-agent-01";
    private const int MetricsPerTick = 100;
    private const int Seed = 20261122;

    private static readonly Instant Start = Instant.FromUtc(2026, 11, 22, 10, 0);
    private static readonly string[] Names = Enumerable.Range(0, MetricsPerTick).Select(i => $"signal_{i:D3}").ToArray();

#pragma warning disable CA5394 // Benchmark values, not security: a seeded generator makes runs reproducible.
    private readonly Random _random = new(Seed);
#pragma warning restore CA5394
    private long _nextPoint;

    /// <summary>The next batch of <paramref name="points"/> readings on the metrics stream, continuing the readings of the previous one.</summary>
    public TelemetryBatch Next(long seq, string? prev, int points)
    {
        var list = new MetricPoint[points];
        for (var i = 0; i < points; i++, _nextPoint++)
        {
            var tick = _nextPoint / MetricsPerTick;
#pragma warning disable CA5394
            var value = Math.Round(15 + (_random.NextDouble() * 20), 3);
#pragma warning restore CA5394
            list[i] = new MetricPoint("mr-01", Names[_nextPoint % MetricsPerTick], "Cel", Start + Duration.FromMilliseconds(100 * tick), value);
        }

        var created = Start + Duration.FromMilliseconds(100 * ((_nextPoint / MetricsPerTick) + 1));
        return new TelemetryBatch(AgentId, TelemetryStreams.Metrics, seq, prev, created, list, []);
    }
}
