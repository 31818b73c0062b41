using System.Runtime.InteropServices;
using System.Text;
using EquipmentIoT.Protocols.LineProtocol;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Influx;

public sealed partial class InfluxSeriesStore
{
    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        if (query.Step is { } s && s <= Duration.Zero) throw new ArgumentOutOfRangeException(nameof(query), s, "the step must be positive");
        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        if (from >= to) return [];
        var parameters = new Dictionary<string, object?>
        {
            ["device"] = InfluxTagText.Encode(query.Device),
            ["metric"] = InfluxTagText.Encode(query.Metric),
        };
        return query.Step is { } step
            ? await AggregateAsync(from, to, (long)step.TotalMilliseconds, query, parameters, cancellationToken).ConfigureAwait(false)
            : await RawAsync(from, to, query.Limit, parameters, cancellationToken).ConfigureAwait(false);
    }

    // How far back LatestAsync looks, widening only for the series not found yet: last() over a whole year reads every shard.
    private static readonly string?[] LatestWindows = ["1d", "40d", null];

    // Series named in one statement's filter when LatestAsync widens its window (more: further statements in the same request).
    private const int LatestSeriesPerStatement = 100;

    /// <summary>
    /// The newest point of each series: the series come from the index (SHOW SERIES, no data read), their last values from
    /// the last day of raw points; only series quiet for longer are looked for further back (40 days, then the whole raw
    /// retention), by name. A year of data thus costs what a day costs unless a series has gone quiet.
    /// </summary>
    public async Task<IReadOnlyList<LatestValue>> LatestAsync(string? device, CancellationToken cancellationToken)
    {
        var (where, parameters) = DeviceFilter(device);
        var missing = await StoredSeriesAsync(where, parameters, cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<(string, string), LatestValue>();
        foreach (var window in LatestWindows)
        {
            if (missing.Count == 0) break;
            var statements = new List<string>();
            var bound = parameters is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(parameters, StringComparer.Ordinal);
            var since = window is null ? null : $"time > now() - {window}";
            if (latest.Count == 0)
            {
                // Nothing found yet: every series is missing, the device filter says it all.
                statements.Add(LastStatement(Conditions(where, since)));
            }
            else
            {
                foreach (var chunk in missing.Chunk(LatestSeriesPerStatement))
                {
                    var names = string.Join(" OR ", chunk.Select(s =>
                    {
                        var n = bound.Count;
                        bound[$"sd{n}"] = s.Device;
                        bound[$"sm{n}"] = s.Metric;
                        return $"({InfluxSchema.DeviceTag} = $sd{n} AND {InfluxSchema.MetricTag} = $sm{n})";
                    }));
                    statements.Add(LastStatement(Conditions(string.Empty, since, $"({names})")));
                }
            }

            using var response = await _client.QueryAsync(statements, bound.Count == 0 ? null : bound, write: false, cancellationToken).ConfigureAwait(false);
            foreach (var series in response.Results.SelectMany(r => r.Series))
            {
                missing.Remove(new StoredSeries(series.Tags.GetValueOrDefault(InfluxSchema.DeviceTag, string.Empty), series.Tags.GetValueOrDefault(InfluxSchema.MetricTag, string.Empty)));
                var (d, m, unit) = SeriesTags(series);
                var row = series.Rows().First();
                var value = new LatestValue(d, m, unit, Instant.FromUnixTimeMilliseconds(row.GetInt64(0)), row.GetDouble(1),
                    row.IsNull(2) ? MetricQuality.Good : (MetricQuality)row.GetInt64(2));
                if (!latest.TryGetValue((d, m), out var seen) || value.Time > seen.Time) latest[(d, m)] = value;
            }
        }
        return [.. latest.Values.OrderBy(v => v.Device, StringComparer.Ordinal).ThenBy(v => v.Metric, StringComparer.Ordinal)];
    }

    private string LastStatement(string where) =>
        $"SELECT last({InfluxSchema.ValueField}), {InfluxSchema.QualityField} FROM {RawSource}{where} GROUP BY {GroupTags}";

    private static string Conditions(string where, params string?[] more)
    {
        var parts = more.Where(c => c is not null).ToList();
        if (parts.Count == 0) return where;
        return where.Length == 0 ? " WHERE " + string.Join(" AND ", parts) : where + " AND " + string.Join(" AND ", parts);
    }

    /// <summary>A series' device and metric tag values as stored (encoded), whatever its agent and unit.</summary>
    private readonly record struct StoredSeries(string Device, string Metric);

    /// <summary>The (device, metric)s the raw policy's index holds (SHOW SERIES reads no points).</summary>
    private async Task<HashSet<StoredSeries>> StoredSeriesAsync(string where, Dictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        var statement = $"SHOW SERIES ON {InfluxSchema.Identifier(_options.Database)} FROM {RawSource}{where}";
        using var response = await _client.QueryAsync([statement], parameters, write: false, cancellationToken).ConfigureAwait(false);
        var stored = new HashSet<StoredSeries>();
        foreach (var series in response.Results[0].Series)
        {
            foreach (var row in series.Rows())
            {
                var key = LineProtocolReader.ReadSeriesKey(Encoding.UTF8.GetBytes(row.GetString(0) ?? string.Empty));
                if (!key.Success) throw new InfluxRequestException($"InfluxDB listed a series key we cannot read: {key.Error} at byte {key.Offset}", 0, key.Error);
                stored.Add(new StoredSeries(key.Value.Tag(InfluxSchema.DeviceTag) ?? string.Empty, key.Value.Tag(InfluxSchema.MetricTag) ?? string.Empty));
            }
        }
        return stored;
    }

    public async Task<IReadOnlyList<SeriesInfo>> SeriesAsync(string? device, CancellationToken cancellationToken)
    {
        var (where, parameters) = DeviceFilter(device);
        string[] statements =
        [
            $"SELECT count({InfluxSchema.ValueField}) FROM {RawSource}{where} GROUP BY {GroupTags}",
            $"SELECT first({InfluxSchema.ValueField}) FROM {RawSource}{where} GROUP BY {GroupTags}",
            $"SELECT last({InfluxSchema.ValueField}) FROM {RawSource}{where} GROUP BY {GroupTags}",
        ];
        using var response = await _client.QueryAsync(statements, parameters, write: false, cancellationToken).ConfigureAwait(false);
        // One metric may span several series (a unit changed, two agents): counts add up, the unit is the newest's.
        var infos = new Dictionary<(string, string), (string? Unit, long First, long Last, long Points)>();
        foreach (var series in response.Results[0].Series)
        {
            var (d, m, unit) = SeriesTags(series);
            var points = series.Rows().First().GetInt64(1);
            infos[(d, m)] = infos.TryGetValue((d, m), out var seen) ? seen with { Points = seen.Points + points } : (unit, long.MaxValue, long.MinValue, points);
        }
        foreach (var series in response.Results[1].Series)
        {
            var (d, m, _) = SeriesTags(series);
            if (infos.TryGetValue((d, m), out var seen)) infos[(d, m)] = seen with { First = Math.Min(seen.First, series.Rows().First().GetInt64(0)) };
        }
        foreach (var series in response.Results[2].Series)
        {
            var (d, m, unit) = SeriesTags(series);
            var last = series.Rows().First().GetInt64(0);
            if (infos.TryGetValue((d, m), out var seen) && last > seen.Last) infos[(d, m)] = seen with { Last = last, Unit = unit };
        }
        return
        [
            .. infos
                .Select(i => new SeriesInfo(i.Key.Item1, i.Key.Item2, i.Value.Unit, Instant.FromUnixTimeMilliseconds(i.Value.First),
                    Instant.FromUnixTimeMilliseconds(i.Value.Last), i.Value.Points))
                .OrderBy(i => i.Device, StringComparer.Ordinal).ThenBy(i => i.Metric, StringComparer.Ordinal),
        ];
    }

    private static string GroupTags => $"{InfluxSchema.DeviceTag}, {InfluxSchema.MetricTag}, {InfluxSchema.UnitTag}";

    private string RawSource => InfluxSchema.Source(_options.Database, _options.RetentionPolicy);

    private static (string Where, Dictionary<string, object?>? Parameters) DeviceFilter(string? device) => device is null
        ? (string.Empty, null)
        : ($" WHERE {InfluxSchema.DeviceTag} = $device", new Dictionary<string, object?> { ["device"] = InfluxTagText.Encode(device) });

    private static (string Device, string Metric, string? Unit) SeriesTags(InfluxSeries series)
    {
        var unit = series.Tags.GetValueOrDefault(InfluxSchema.UnitTag, string.Empty);
        return (InfluxTagText.Decode(series.Tags.GetValueOrDefault(InfluxSchema.DeviceTag, string.Empty)),
            InfluxTagText.Decode(series.Tags.GetValueOrDefault(InfluxSchema.MetricTag, string.Empty)),
            unit.Length == 0 ? null : InfluxTagText.Decode(unit));
    }

    private static string SeriesWhere(long from, long to) =>
        $"{InfluxSchema.DeviceTag} = $device AND {InfluxSchema.MetricTag} = $metric AND time >= {InfluxClient.Milliseconds(from)} AND time < {InfluxClient.Milliseconds(to)}";

    /// <summary>Raw points in [from, to) by time, at most <paramref name="limit"/>; Bad points included, with their quality.</summary>
    private async Task<IReadOnlyList<SeriesPoint>> RawAsync(long from, long to, int limit, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var statement = $"SELECT {InfluxSchema.ValueField}, {InfluxSchema.QualityField} FROM {RawSource} WHERE {SeriesWhere(from, to)} ORDER BY time ASC LIMIT {limit}";
        using var response = await _client.QueryAsync([statement], parameters, write: false, cancellationToken).ConfigureAwait(false);
        var result = new List<SeriesPoint>();
        foreach (var series in response.Results[0].Series)
        {
            int time = series.Column("time"), value = series.Column(InfluxSchema.ValueField), quality = series.Column(InfluxSchema.QualityField);
            foreach (var row in series.Rows())
            {
                var v = row.GetDouble(value);
                result.Add(new SeriesPoint(Instant.FromUnixTimeMilliseconds(row.GetInt64(time)), v, 1, v, v,
                    row.IsNull(quality) ? MetricQuality.Good : (MetricQuality)row.GetInt64(quality)));
            }
        }
        return result;
    }

    // A step equal to the tier's bucket reads its rows as they are (InfluxDB streams them; re-grouping one row per bucket costs
    // it several times more); a coarser step lets InfluxDB combine them. Either way the columns are time, count, sum, min, max, last.
    private string RollupStatement(SeriesSegment segment, long step, string interval)
    {
        var tier = segment.Tier == SeriesTier.Hour ? InfluxSchema.Hour : InfluxSchema.Minute;
        var source = InfluxSchema.Source(_options.Database, segment.Tier == SeriesTier.Hour ? InfluxSchema.HourRollup : InfluxSchema.MinuteRollup);
        return step == tier.BucketMs
            ? $"SELECT \"count\", \"sum\", \"min\", \"max\", \"last\" FROM {source} WHERE {SeriesWhere(segment.From, segment.To)}"
            : $"SELECT sum(\"count\"), sum(\"sum\"), min(\"min\"), max(\"max\"), last(\"last\") FROM {source} " +
              $"WHERE {SeriesWhere(segment.From, segment.To)} GROUP BY time({interval}) fill(none)";
    }

    /// <summary>
    /// One bucket per step from the rollup tiers the plan allows, for buckets the continuous queries have settled,
    /// and from raw points (quality below 2) elsewhere; every part in one request, merged bucket by bucket.
    /// </summary>
    private async Task<IReadOnlyList<SeriesPoint>> AggregateAsync(long from, long to, long step, SeriesQuery query, Dictionary<string, object?> parameters,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // Rollup rows of buckets still inside a continuous query's resample window may be incomplete: read raw there.
        var settled = Math.Clamp(InfluxSchema.Hour.SettledBeforeMs(now), from, to);
        var segments = SeriesQueryPlan.Plan(from, settled, step);
        if (settled < to) segments.Add(new SeriesSegment(SeriesTier.Raw, settled, to));

        var interval = InfluxClient.Milliseconds(step);
        var statements = segments.Select(segment => segment.Tier == SeriesTier.Raw
            ? $"SELECT count({InfluxSchema.ValueField}), sum({InfluxSchema.ValueField}), min({InfluxSchema.ValueField}), max({InfluxSchema.ValueField}), last({InfluxSchema.ValueField}) " +
              $"FROM {RawSource} WHERE {InfluxSchema.QualityField} < 2 AND {SeriesWhere(segment.From, segment.To)} GROUP BY time({interval}) fill(none)"
            : RollupStatement(segment, step, interval)).ToList();
        if (statements.Count == 0) return [];

        using var response = await _client.QueryAsync(statements, parameters, write: false, cancellationToken).ConfigureAwait(false);
        var buckets = new Dictionary<long, Rollup>();
        foreach (var result in response.Results)
        {
            foreach (var series in result.Series)
            {
                foreach (var row in series.Rows())
                {
                    if (row.IsNull(1)) continue;
                    // Segments are in time order and do not overlap: the statement id orders their "last" values.
                    var part = Rollup.Of(row.GetInt64(1), row.GetDouble(2), row.GetDouble(3), row.GetDouble(4), row.GetDouble(5), result.StatementId);
                    if (part.Count == 0) continue;
                    CollectionsMarshal.GetValueRefOrAddDefault(buckets, row.GetInt64(0), out _).Merge(part);
                }
            }
        }
        var starts = buckets.Keys.ToArray();
        Array.Sort(starts);
        var points = new SeriesPoint[Math.Min(query.Limit, starts.Length)];
        for (var i = 0; i < points.Length; i++)
        {
            var r = buckets[starts[i]];
            points[i] = new SeriesPoint(Instant.FromUnixTimeMilliseconds(starts[i]), r.Value(query.Aggregate), r.Count, r.Min, r.Max);
        }
        return points;
    }
}
