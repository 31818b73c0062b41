namespace EquipmentIoT.Cloud.Storage.Influx;

public sealed partial class InfluxSeriesStore
{
    // Statements per /query request when rolling up late buckets: keeps URLs and server work per request bounded.
    private const int RollupStatementsPerRequest = 32;

    /// <summary>
    /// Re-runs the rollup SELECT … INTO for the buckets of late points (older than a tier's continuous query still
    /// covers). Recomputing a whole bucket from raw points is idempotent, so a batch written again changes nothing.
    /// </summary>
    private async Task RollUpLateAsync(LateBuckets late, CancellationToken cancellationToken)
    {
        if (late.IsEmpty) return;
        var statements = new List<string>();
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (tier, series, from, to) in late.Ranges())
        {
            var n = parameters.Count / 2;
            parameters[$"d{n}"] = series.Device;
            parameters[$"m{n}"] = series.Metric;
            var where = $"{InfluxSchema.DeviceTag} = $d{n} AND {InfluxSchema.MetricTag} = $m{n} AND time >= {InfluxClient.Milliseconds(from)} AND time < {InfluxClient.Milliseconds(to)}";
            statements.Add(InfluxSchema.RollupSelect(_options.Database, _options.RetentionPolicy, tier, where));
            if (statements.Count == RollupStatementsPerRequest)
            {
                await _client.ExecuteAsync(statements, parameters, cancellationToken).ConfigureAwait(false);
                statements = [];
                parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            }
        }
        if (statements.Count > 0) await _client.ExecuteAsync(statements, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The series (tag values as written) of a late point.</summary>
    private readonly record struct SeriesKey(string Device, string Metric);

    /// <summary>The minute and hour buckets, per series, that hold points too old for the continuous queries.</summary>
    private sealed class LateBuckets(long nowMs)
    {
        private readonly long _minuteLate = InfluxSchema.Minute.LateBeforeMs(nowMs);
        private readonly long _hourLate = InfluxSchema.Hour.LateBeforeMs(nowMs);
        private readonly Dictionary<SeriesKey, HashSet<long>> _minutes = [];
        private readonly Dictionary<SeriesKey, HashSet<long>> _hours = [];

        public bool IsEmpty => _minutes.Count == 0;

        public void Add(string device, string metric, long time)
        {
            if (time >= _minuteLate) return;
            // Keyed by the tag values as stored (the rollup statements select by them).
            var key = new SeriesKey(InfluxTagText.Encode(device), InfluxTagText.Encode(metric));
            Set(_minutes, key).Add(UnixMillis.FloorTo(time, InfluxSchema.Minute.BucketMs));
            if (time < _hourLate) Set(_hours, key).Add(UnixMillis.FloorTo(time, InfluxSchema.Hour.BucketMs));
        }

        /// <summary>Contiguous runs of late buckets: [from, to) per tier and series.</summary>
        public IEnumerable<(InfluxSchema.RollupTier Tier, SeriesKey Series, long From, long To)> Ranges()
        {
            foreach (var (tier, sets) in new[] { (InfluxSchema.Minute, _minutes), (InfluxSchema.Hour, _hours) })
            {
                foreach (var (key, buckets) in sets)
                {
                    var sorted = buckets.ToArray();
                    Array.Sort(sorted);
                    var start = sorted[0];
                    var end = start + tier.BucketMs;
                    foreach (var bucket in sorted.Skip(1))
                    {
                        if (bucket != end)
                        {
                            yield return (tier, key, start, end);
                            start = bucket;
                        }
                        end = bucket + tier.BucketMs;
                    }
                    yield return (tier, key, start, end);
                }
            }
        }

        private static HashSet<long> Set(Dictionary<SeriesKey, HashSet<long>> sets, SeriesKey key)
        {
            if (!sets.TryGetValue(key, out var set)) sets[key] = set = [];
            return set;
        }
    }
}
