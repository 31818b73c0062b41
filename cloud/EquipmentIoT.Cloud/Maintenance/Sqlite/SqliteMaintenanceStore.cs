using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Maintenance.Sqlite;

/// <summary>Maintenance records in records.db (see <see cref="MaintenanceSchema"/>): plans and notices here, items and work orders in the other parts.</summary>
public sealed partial class SqliteMaintenanceStore(SqliteDatabase database) : IMaintenanceStore, IStoreInitializer
{
    private const string PlanColumns = """
        id, device, title, description, basis, every_months, anchor, measure, metric, every_usage, reminder_days, reminder_percent, priority,
        enabled, usage_from, created, created_by, updated, updated_by
        """;

    private readonly SqliteDatabase _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, MaintenanceSchema.Component, MaintenanceSchema.Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<MaintenancePlan> AddPlanAsync(MaintenancePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(c, null, """
            INSERT INTO maintenance_plans (device, title, description, basis, every_months, anchor, measure, metric, every_usage, reminder_days,
                reminder_percent, priority, enabled, usage_from, created, created_by)
            VALUES ($device, $title, $description, $basis, $months, $anchor, $measure, $metric, $every, $days, $percent, $priority, $enabled,
                $usageFrom, $created, $createdBy)
            RETURNING id
            """, PlanValues(plan));
        insert.Parameters.AddWithValue("$created", Text(plan.Created));
        insert.Parameters.AddWithValue("$createdBy", plan.CreatedBy);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return plan with { Id = id };
    }

    /// <inheritdoc/>
    public async Task<MaintenancePlan?> UpdatePlanAsync(MaintenancePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = Command(c, null, """
            UPDATE maintenance_plans SET device = $device, title = $title, description = $description, basis = $basis, every_months = $months,
                anchor = $anchor, measure = $measure, metric = $metric, every_usage = $every, reminder_days = $days, reminder_percent = $percent,
                priority = $priority, enabled = $enabled, usage_from = $usageFrom, updated = $updated, updated_by = $updatedBy
            WHERE id = $id AND deleted IS NULL
            """, PlanValues(plan));
        update.Parameters.AddWithValue("$id", plan.Id);
        update.Parameters.AddWithValue("$updated", Text(plan.Updated));
        update.Parameters.AddWithValue("$updatedBy", Nullable(plan.UpdatedBy));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? plan : null;
    }

    /// <inheritdoc/>
    public Task<bool> DeletePlanAsync(long id, string actor, Instant at, CancellationToken cancellationToken) =>
        SoftDeleteAsync("maintenance_plans", id, actor, at, cancellationToken);

    /// <inheritdoc/>
    public async Task<MaintenancePlan?> GetPlanAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null, $"SELECT {PlanColumns} FROM maintenance_plans WHERE id = $id AND deleted IS NULL", ("$id", id));
        return (await query.ReadAllAsync(ReadPlan, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MaintenancePlan>> ListPlansAsync(string? device, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null,
            $"SELECT {PlanColumns} FROM maintenance_plans WHERE deleted IS NULL AND ($device IS NULL OR device = $device) ORDER BY id", ("$device", device));
        return await query.ReadAllAsync(ReadPlan, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<PlanHistory> PlanHistoryAsync(long planId, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null, $"""
            SELECT (SELECT coalesce(max(plan_occurrence), 0) FROM work_orders WHERE plan_id = $id),
                   (SELECT due FROM work_orders WHERE plan_id = $id ORDER BY plan_occurrence DESC LIMIT 1),
                   (SELECT max(coalesce(completed, cancelled)) FROM work_orders WHERE plan_id = $id),
                   (SELECT id FROM work_orders WHERE plan_id = $id AND state IN ({OpenStates}) ORDER BY id LIMIT 1)
            """, ("$id", planId));
        var rows = await query.ReadAllAsync(r => new PlanHistory(r.GetInt32(0), ReadNullableDate(r, 1), ReadNullableInstant(r, 2), r.GetInt64OrNull(3)),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc/>
    public async Task<bool> ClaimNoticeAsync(string key, MaintenanceNoticeKind kind, Instant at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(c, null, "INSERT INTO maintenance_notices (key, kind, at) VALUES ($key, $kind, $at) ON CONFLICT DO NOTHING",
            ("$key", key), ("$kind", kind.ToString()), ("$at", Text(at)));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async Task ReleaseNoticeAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = Command(c, null, "DELETE FROM maintenance_notices WHERE key = $key", ("$key", key));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command with named parameters (null becomes SQL NULL) in the transaction.</summary>
    private async Task<bool> SoftDeleteAsync(string table, long id, string actor, Instant at, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The table name is one of this class's constants, never input.
        await using var delete = Command(c, null, $"UPDATE {table} SET deleted = $at, deleted_by = $actor WHERE id = $id AND deleted IS NULL",
            ("$id", id), ("$at", Text(at)), ("$actor", actor));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static (string, object?)[] PlanValues(MaintenancePlan p) =>
    [
        ("$device", p.Device), ("$title", p.Title), ("$description", p.Description), ("$basis", p.Basis.ToString()), ("$months", p.EveryMonths),
        ("$anchor", Text(p.Anchor)), ("$measure", p.Measure?.ToString()), ("$metric", p.Metric), ("$every", p.EveryUsage), ("$days", p.ReminderDays),
        ("$percent", p.ReminderPercent), ("$priority", p.Priority.ToString()), ("$enabled", p.Enabled ? 1 : 0), ("$usageFrom", Text(p.UsageFrom)),
    ];

    private static MaintenancePlan ReadPlan(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetStringOrNull(3),
        Enum.Parse<PlanBasis>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetInt32(5), ReadNullableDate(r, 6),
        r.IsDBNull(7) ? null : Enum.Parse<UsageMeasure>(r.GetString(7)), r.GetStringOrNull(8), NullableDouble(r, 9), r.IsDBNull(10) ? null : r.GetInt32(10),
        NullableDouble(r, 11), Enum.Parse<WorkOrderPriority>(r.GetString(12)), r.GetInt64(13) != 0, ReadInstant(r, 14), ReadInstant(r, 15),
        r.GetString(16), ReadNullableInstant(r, 17), r.GetStringOrNull(18));

    private static double? NullableDouble(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDouble(ordinal);
}
