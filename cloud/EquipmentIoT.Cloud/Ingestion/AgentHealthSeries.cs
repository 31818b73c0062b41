using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// An agent's self-reported health as series of the agent itself (device = the agent id), so that dashboards can draw
/// buffer depth and drops over time beside the equipment's readings: <c>agent.buffer_batches</c> (unsent batches on disk),
/// <c>agent.buffer_bytes</c>, <c>agent.buffer_oldest_seconds</c>, <c>agent.thinned_points</c>, <c>agent.dropped_points</c>
/// and <c>agent.dropped_batches</c> (cumulative). Health records are not ledger batches (the state topic is not signed;
/// the broker's per-agent ACL is what vouches for it), so they carry a synthetic, negative batch id made of the record's
/// time and the agent: writing the same retained record again changes nothing.
/// </summary>
public static class AgentHealthSeries
{
    public const string BufferBatches = "agent.buffer_batches";
    public const string BufferBytes = "agent.buffer_bytes";
    public const string BufferOldestSeconds = "agent.buffer_oldest_seconds";
    public const string ThinnedPoints = "agent.thinned_points";
    public const string DroppedPoints = "agent.dropped_points";
    public const string DroppedBatches = "agent.dropped_batches";

    /// <summary>The batch of a state record's health figures, or null when it carries none.</summary>
    public static SeriesBatch? BatchOf(AgentStateSummary state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Health is not { } health) return null;
        var points = new List<MetricPoint>(6);
        Add(points, state, BufferBatches, health.UnsentBatches, null);
        Add(points, state, BufferBytes, health.UsedBytes, "By");
        Add(points, state, BufferOldestSeconds, health.OldestUnsentAgeSeconds ?? (health.UnsentBatches == 0 ? 0 : null), "s");
        Add(points, state, ThinnedPoints, health.ThinnedPoints, null);
        Add(points, state, DroppedPoints, health.DroppedPoints, null);
        Add(points, state, DroppedBatches, health.DroppedBatches, null);
        return points.Count == 0 ? null : new SeriesBatch(SyntheticBatchId(state.Agent, state.At), state.Agent, points);
    }

    /// <summary>
    /// −(milliseconds × 1024 + a 10-bit hash of the agent id): negative, so never a ledger id; one per agent and record time
    /// (two agents collide only when their hashes match and their records share the millisecond).
    /// </summary>
    public static long SyntheticBatchId(string agent, Instant at)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var hash = 2166136261u;
        foreach (var c in agent) hash = unchecked((hash ^ c) * 16777619u);
        return -((at.ToUnixTimeMilliseconds() << 10) | (hash & 1023)) - 1;
    }

    private static void Add(List<MetricPoint> points, AgentStateSummary state, string metric, double? value, string? unit)
    {
        if (value is { } v) points.Add(new MetricPoint(state.Agent, metric, unit, state.At, v));
    }
}
