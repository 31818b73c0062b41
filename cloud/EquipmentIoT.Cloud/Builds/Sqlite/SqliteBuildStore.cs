using System.Globalization;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Builds.Sqlite;

/// <summary>Build records in records.db (see <see cref="BuildSchema"/>): tracking, summaries, entries, parts, the ledger.</summary>
public sealed partial class SqliteBuildStore(SqliteDatabase database) : IBuildStore, IStoreInitializer
{
    private readonly SqliteDatabase _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, BuildSchema.Component, BuildSchema.Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<(List<TrackedBuild> Open, long Cursor)> LoadTrackingAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: true);
        var cursor = (long)(await ScalarAsync(c, tx, "SELECT last_event_id FROM build_tracker WHERE id = 1", cancellationToken).ConfigureAwait(false))!;
        var open = await QueryBuildsAsync(c, tx, $"WHERE status IN ('{nameof(BuildStatus.Running)}', '{nameof(BuildStatus.Paused)}', '{nameof(BuildStatus.Faulted)}') ORDER BY id",
            null, cancellationToken).ConfigureAwait(false);
        return ([.. open.Select(r => new TrackedBuild
        {
            Id = r.Id, Device = r.Device, Agent = r.Agent, JobId = r.JobId, LayersPlanned = r.LayersPlanned, LayersStarted = r.LayersStarted,
            Status = r.Status, Started = r.Started, Ended = r.Ended, Pauses = r.Pauses, Faults = r.Faults, RecoaterPasses = r.RecoaterPasses,
        })], cursor);
    }

    /// <inheritdoc/>
    public async Task<bool> SaveTrackingAsync(long expectedCursor, long cursor, IReadOnlyList<TrackedBuild> builds, BatchNumbering numbering,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builds);
        ArgumentNullException.ThrowIfNull(numbering);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await using (var move = c.CreateCommand())
        {
            move.Transaction = tx;
            move.CommandText = "UPDATE build_tracker SET last_event_id = $to WHERE id = 1 AND last_event_id = $from";
            Add(move, "$to", cursor);
            Add(move, "$from", expectedCursor);
            if (await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1) return false;
        }

        foreach (var build in builds.Where(b => b.Changed))
        {
            var id = build.Id ?? await InsertBuildAsync(c, tx, build, numbering, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(c, tx, """
                UPDATE builds SET job_id = $job, layers_planned = $planned, layers_started = $layers, status = $status, ended = $ended,
                    pauses = $pauses, faults = $faults, recoater_passes = $recoater
                WHERE id = $id
                """, cancellationToken, ("$job", build.JobId), ("$planned", build.LayersPlanned), ("$layers", build.LayersStarted),
                ("$status", build.Status.ToString()), ("$ended", Text(build.Ended)), ("$pauses", build.Pauses), ("$faults", build.Faults),
                ("$recoater", build.RecoaterPasses), ("$id", id)).ConfigureAwait(false);
            foreach (var (layer, started) in build.NewLayers)
            {
                await ExecuteAsync(c, tx, "INSERT OR IGNORE INTO build_layers (build_id, layer, started) VALUES ($id, $layer, $started)",
                    cancellationToken, ("$id", id), ("$layer", layer), ("$started", Text(started))).ConfigureAwait(false);
            }

            foreach (var item in build.NewTimeline)
            {
                await ExecuteAsync(c, tx, "INSERT OR IGNORE INTO build_timeline (event_id, build_id, at, kind, detail) VALUES ($event, $id, $at, $kind, $detail)",
                    cancellationToken, ("$event", item.EventId), ("$id", id), ("$at", Text(item.At)), ("$kind", item.Kind), ("$detail", item.Detail))
                    .ConfigureAwait(false);
            }

            // A layer ends where the next one starts; the last one with the job (or not yet).
            await ExecuteAsync(c, tx, """
                UPDATE build_layers SET ended = coalesce(
                    (SELECT min(n.started) FROM build_layers n WHERE n.build_id = build_layers.build_id AND n.layer > build_layers.layer),
                    (SELECT b.ended FROM builds b WHERE b.id = build_layers.build_id))
                WHERE build_id = $id
                """, cancellationToken, ("$id", id)).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<long> InsertBuildAsync(SqliteConnection c, SqliteTransaction tx, TrackedBuild build, BatchNumbering numbering,
        CancellationToken cancellationToken)
    {
        var day = build.Started.InZone(numbering.Zone).Date;
        var stem = $"{numbering.Prefix}-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-";
        // Inside the write transaction: the count cannot change under us, so numbers are unique across instances too.
        var sameDay = (long)(await ScalarAsync(c, tx, "SELECT count(*) FROM builds WHERE substr(batch_number, 1, length($stem)) = $stem",
            cancellationToken, ("$stem", stem)).ConfigureAwait(false))!;
        var batch = stem + (sameDay + 1).ToString("000", CultureInfo.InvariantCulture);
        return (long)(await ScalarAsync(c, tx, """
            INSERT INTO builds (batch_number, device, agent, status, started) VALUES ($batch, $device, $agent, $status, $started) RETURNING id
            """, cancellationToken, ("$batch", batch), ("$device", build.Device), ("$agent", build.Agent), ("$status", build.Status.ToString()),
            ("$started", Text(build.Started))).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BuildRecord>> DueForSummaryAsync(Instant runningBefore, Instant endedBefore, Duration settle,
        CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Text instants compare in time order (fixed-width ISO-8601 UTC).
        return await QueryBuildsAsync(c, null, $"""
            WHERE sealed IS NULL AND (
                (ended IS NULL AND (summarised IS NULL OR summarised < $running))
                OR (ended IS NOT NULL AND ended <= $ended AND (summarised IS NULL OR summarised < $settled)))
            ORDER BY id
            """, cmd =>
        {
            Add(cmd, "$running", Text(runningBefore));
            Add(cmd, "$ended", Text(endedBefore));
            Add(cmd, "$settled", Text(endedBefore + settle));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> SaveSummaryAsync(BuildSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (await ScalarAsync(c, tx, "SELECT sealed FROM builds WHERE id = $id", cancellationToken, ("$id", summary.BuildId)).ConfigureAwait(false)
            is not DBNull) return false;
        await ExecuteAsync(c, tx, "DELETE FROM build_signals WHERE build_id = $id", cancellationToken, ("$id", summary.BuildId)).ConfigureAwait(false);
        foreach (var (layer, s) in summary.Signals)
        {
            await ExecuteAsync(c, tx, """
                INSERT INTO build_signals (build_id, layer, signal, unit, count, min, max, mean, outside, window_min, window_max)
                VALUES ($id, $layer, $signal, $unit, $count, $min, $max, $mean, $outside, $wmin, $wmax)
                """, cancellationToken, ("$id", summary.BuildId), ("$layer", layer), ("$signal", s.Signal), ("$unit", s.Unit), ("$count", s.Count),
                ("$min", s.Min), ("$max", s.Max), ("$mean", s.Mean), ("$outside", s.Outside), ("$wmin", s.WindowMin), ("$wmax", s.WindowMax))
                .ConfigureAwait(false);
        }

        await ExecuteAsync(c, tx, """
            UPDATE builds SET job_id = coalesce(job_id, $job), layers_planned = coalesce(layers_planned, $planned), excursion_layers = $excursions,
                summarised = $at
            WHERE id = $id
            """, cancellationToken, ("$job", summary.JobId), ("$planned", summary.LayersPlanned), ("$excursions", summary.ExcursionLayers),
            ("$at", Text(summary.At)), ("$id", summary.BuildId)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
