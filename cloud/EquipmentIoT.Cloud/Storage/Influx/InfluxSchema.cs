using System.Globalization;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// The series schema in InfluxDB, which the Grafana dashboards are written against (keep it exactly):
/// measurement <c>telemetry</c>; tags <c>device</c>, <c>metric</c>, <c>agent</c> and <c>unit</c> (only when the
/// point has one); fields <c>value</c> (float), <c>quality</c> (integer, 0 good, 1 uncertain, 2 bad) and
/// <c>batch</c> (integer, the ledger's batch id); millisecond timestamps. Retention policies <c>raw</c> (DEFAULT),
/// <c>rollup_1m</c> and <c>rollup_1h</c>, the rollups holding measurement <c>telemetry</c> with fields
/// <c>mean</c>, <c>min</c>, <c>max</c>, <c>sum</c>, <c>count</c>, <c>last</c> over points of quality below 2,
/// grouped by time and every tag, kept up to date by continuous queries and, for late points, by the store.
/// </summary>
public static class InfluxSchema
{
    public const string Measurement = "telemetry";
    public const string DeviceTag = "device";
    public const string MetricTag = "metric";
    public const string AgentTag = "agent";
    public const string UnitTag = "unit";
    public const string ValueField = "value";
    public const string QualityField = "quality";
    public const string BatchField = "batch";
    public const string MinuteRollup = "rollup_1m";
    public const string HourRollup = "rollup_1h";

    /// <summary>Continuous query of the 1-minute rollup: every minute it recomputes the last 10 minutes (late points within them are caught).</summary>
    public static readonly RollupTier Minute = new(MinuteRollup, "telemetry_1m", 60_000, EveryMs: 60_000, ForMs: 600_000);

    /// <summary>Continuous query of the 1-hour rollup: every 10 minutes it recomputes the last 2 hours.</summary>
    public static readonly RollupTier Hour = new(HourRollup, "telemetry_1h", 3_600_000, EveryMs: 600_000, ForMs: 7_200_000);

    /// <summary>A rollup level: its retention policy, continuous query, bucket and resample window.</summary>
    /// <param name="ForMs">The CQ's RESAMPLE FOR: buckets younger than this are recomputed on every run.</param>
    public sealed record RollupTier(string Policy, string QueryName, long BucketMs, long EveryMs, long ForMs)
    {
        /// <summary>
        /// The oldest time a point may have (relative to the write) for the continuous query to still cover it:
        /// a point written at w is seen by the next run at most EVERY later, which recomputes back to run − FOR.
        /// Older points are rolled up by the store itself. One EVERY of margin for a slow server.
        /// </summary>
        public long LateBeforeMs(long nowMs) => nowMs - ForMs + (2 * EveryMs);

        /// <summary>Buckets ending before this are complete in the rollup (the CQ has passed over them since any write that could touch them).</summary>
        public long SettledBeforeMs(long nowMs) => nowMs - ForMs;
    }

    /// <summary>A double-quoted InfluxQL identifier.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>"db"."rp"."telemetry".</summary>
    public static string Source(string database, string policy) => $"{Identifier(database)}.{Identifier(policy)}.{Identifier(Measurement)}";

    /// <summary>An InfluxQL duration literal; zero is INF.</summary>
    public static string Duration(TimeSpan span) =>
        span == TimeSpan.Zero ? "INF" : ((long)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>A shard group duration fitting a policy (InfluxData's guidance: longer shards for longer policies).</summary>
    public static string ShardDuration(TimeSpan retention) => retention switch
    {
        { Ticks: 0 } => "52w",
        _ when retention <= TimeSpan.FromDays(2) => "1h",
        _ when retention <= TimeSpan.FromDays(180) => "1d",
        _ when retention <= TimeSpan.FromDays(730) => "7d",
        _ => "30d",
    };

    /// <summary>The rollup SELECT (… INTO the tier's policy) over raw points of quality below 2, with an optional extra WHERE.</summary>
    public static string RollupSelect(string database, string rawPolicy, RollupTier tier, string? where)
    {
        ArgumentNullException.ThrowIfNull(tier);
        var filter = where is null ? string.Empty : " AND " + where;
        return $"SELECT mean({ValueField}) AS mean, min({ValueField}) AS min, max({ValueField}) AS max, sum({ValueField}) AS sum, " +
               $"count({ValueField}) AS count, last({ValueField}) AS last INTO {Source(database, tier.Policy)} FROM {Source(database, rawPolicy)} " +
               $"WHERE {QualityField} < 2{filter} GROUP BY time({InfluxClient.Milliseconds(tier.BucketMs)}), *";
    }

    /// <summary>The continuous query of a tier.</summary>
    public static string ContinuousQuery(string database, string rawPolicy, RollupTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return $"CREATE CONTINUOUS QUERY {Identifier(tier.QueryName)} ON {Identifier(database)} " +
               $"RESAMPLE EVERY {InfluxClient.Milliseconds(tier.EveryMs)} FOR {InfluxClient.Milliseconds(tier.ForMs)} " +
               $"BEGIN {RollupSelect(database, rawPolicy, tier, null)} END";
    }
}
