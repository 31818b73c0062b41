using System.Text.Json;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Maintenance.Sqlite;

public sealed partial class SqliteMaintenanceStore
{
    private const string OpenStates = "'Open', 'Assigned', 'InProgress'";

    private const string OrderColumns = """
        id, kind, state, device, title, description, priority, due, plan_id, plan_occurrence, calibration_id, alarm_id, alarm_rule, assigned_to,
        started, completed, completed_by, notes, labour_hours, verified, verified_by, cancelled, cancel_reason, created, created_by, version
        """;

    /// <inheritdoc/>
    public async Task<WorkOrder?> OpenAsync(WorkOrder order, string? comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var opened = order with { Id = 0, State = WorkOrderState.Open, Version = 1 };
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        // DO NOTHING without a target covers every unique index: the plan occurrence, the calibration due date, the open alarm.
        await using var insert = Command(c, tx, """
            INSERT INTO work_orders (kind, state, device, title, description, priority, due, plan_id, plan_occurrence, calibration_id, alarm_id,
                alarm_rule, created, created_by, version)
            VALUES ($kind, $state, $device, $title, $description, $priority, $due, $plan, $occurrence, $calibration, $alarm, $rule, $created,
                $createdBy, 1)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, ("$kind", opened.Kind.ToString()), ("$state", opened.State.ToString()), ("$device", opened.Device), ("$title", opened.Title),
            ("$description", opened.Description), ("$priority", opened.Priority.ToString()), ("$due", Text((NodaTime.LocalDate?)opened.Due)),
            ("$plan", opened.PlanId), ("$occurrence", opened.PlanOccurrence), ("$calibration", opened.CalibrationId), ("$alarm", opened.AlarmId),
            ("$rule", opened.AlarmRule), ("$created", Text(opened.Created)), ("$createdBy", opened.CreatedBy));
        if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long id) return null;
        opened = opened with { Id = id };
        await InsertTransitionAsync(c, tx, new WorkOrderTransition(id, null, WorkOrderState.Open, opened.Created, opened.CreatedBy, comment), cancellationToken)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return opened;
    }

    /// <inheritdoc/>
    public async Task<bool> SaveAsync(WorkOrderStep change, long expectedVersion, CalibrationItem? calibration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var o = change.Order;
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await using (var update = Command(c, tx, """
            UPDATE work_orders SET state = $state, priority = $priority, due = $due, assigned_to = $assigned, started = $started,
                completed = $completed, completed_by = $completedBy, notes = $notes, labour_hours = $labour, verified = $verified,
                verified_by = $verifiedBy, cancelled = $cancelled, cancel_reason = $reason, version = version + 1
            WHERE id = $id AND version = $version
            """, ("$state", o.State.ToString()), ("$priority", o.Priority.ToString()), ("$due", Text((NodaTime.LocalDate?)o.Due)), ("$assigned", o.AssignedTo),
            ("$started", Text(o.Started)), ("$completed", Text(o.Completed)), ("$completedBy", o.CompletedBy), ("$notes", o.Notes),
            ("$labour", o.LabourHours), ("$verified", Text(o.Verified)), ("$verifiedBy", o.VerifiedBy), ("$cancelled", Text(o.Cancelled)),
            ("$reason", o.CancelReason), ("$id", o.Id), ("$version", expectedVersion)))
        {
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1) return false;
        }

        if (change.Transition.To == WorkOrderState.Done)
        {
            for (var line = 0; line < o.Parts.Count; line++)
            {
                var part = o.Parts[line];
                await using var insert = Command(c, tx, """
                    INSERT INTO work_order_parts (work_order_id, line, part, quantity, unit, description) VALUES ($id, $line, $part, $quantity, $unit, $description)
                    """, ("$id", o.Id), ("$line", line + 1), ("$part", part.Part), ("$quantity", part.Quantity), ("$unit", part.Unit),
                    ("$description", part.Description));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await InsertTransitionAsync(c, tx, change.Transition, cancellationToken).ConfigureAwait(false);
        if (calibration is not null && !await UpdateCalibrationAsync(c, tx, calibration, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"calibration item {calibration.Id} of work order {o.Id} is gone");
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<WorkOrderDetail?> GetWorkOrderAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: true);
        var orders = await QueryOrdersAsync(c, tx, "WHERE id = $id", cancellationToken, ("$id", id)).ConfigureAwait(false);
        if (orders.Count == 0) return null;
        await using var query = Command(c, tx,
            "SELECT work_order_id, from_state, to_state, at, actor, comment FROM work_order_transitions WHERE work_order_id = $id ORDER BY id", ("$id", id));
        var transitions = await query.ReadAllAsync(r => new WorkOrderTransition(r.GetInt64(0), r.IsDBNull(1) ? null : Enum.Parse<WorkOrderState>(r.GetString(1)),
            Enum.Parse<WorkOrderState>(r.GetString(2)), ReadInstant(r, 3), r.GetString(4), r.GetStringOrNull(5)), cancellationToken).ConfigureAwait(false);
        return new WorkOrderDetail(orders[0], transitions);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkOrder>> ListWorkOrdersAsync(WorkOrderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: true);
        return await QueryOrdersAsync(c, tx, $"""
            WHERE ($device IS NULL OR device = $device) AND ($state IS NULL OR state = $state) AND ($kind IS NULL OR kind = $kind)
              AND ($plan IS NULL OR plan_id = $plan) AND ($alarm IS NULL OR alarm_id = $alarm) AND ($open = 0 OR state IN ({OpenStates}))
            ORDER BY id DESC LIMIT $limit
            """, cancellationToken, ("$device", query.Device), ("$state", query.State?.ToString()), ("$kind", query.Kind?.ToString()),
            ("$plan", query.PlanId), ("$alarm", query.AlarmId), ("$open", query.OpenOnly ? 1 : 0), ("$limit", query.Limit)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AnyForAlarmAsync(long alarmId, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = Command(c, null, "SELECT 1 FROM work_orders WHERE alarm_id = $alarm LIMIT 1", ("$alarm", alarmId));
        return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task InsertTransitionAsync(SqliteConnection c, SqliteTransaction tx, WorkOrderTransition t, CancellationToken cancellationToken)
    {
        await using var insert = Command(c, tx, """
            INSERT INTO work_order_transitions (work_order_id, from_state, to_state, at, actor, comment) VALUES ($id, $from, $to, $at, $actor, $comment)
            """, ("$id", t.WorkOrderId), ("$from", t.From?.ToString()), ("$to", t.To.ToString()), ("$at", Text(t.At)), ("$actor", t.Actor),
            ("$comment", t.Comment));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<WorkOrder>> QueryOrdersAsync(SqliteConnection c, SqliteTransaction tx, string where, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        List<WorkOrder> orders;
        await using (var query = Command(c, tx, $"SELECT {OrderColumns} FROM work_orders {where}", parameters))
            orders = await query.ReadAllAsync(ReadOrder, cancellationToken).ConfigureAwait(false);
        if (orders.Count == 0) return orders;

        // The parts of every listed order in one query: their ids as a JSON array.
        await using var parts = Command(c, tx, """
            SELECT work_order_id, part, quantity, unit, description FROM work_order_parts
            WHERE work_order_id IN (SELECT value FROM json_each($ids)) ORDER BY work_order_id, line
            """, ("$ids", JsonSerializer.Serialize(orders.Select(o => o.Id))));
        var byOrder = (await parts.ReadAllAsync(r => (Id: r.GetInt64(0), Part: new PartUsed(r.GetString(1), r.GetDouble(2), r.GetStringOrNull(3),
            r.GetStringOrNull(4))), cancellationToken).ConfigureAwait(false)).ToLookup(p => p.Id, p => p.Part);
        return [.. orders.Select(o => byOrder.Contains(o.Id) ? o with { Parts = [.. byOrder[o.Id]] } : o)];
    }

    private static WorkOrder ReadOrder(SqliteDataReader r) => new(r.GetInt64(0), Enum.Parse<WorkOrderKind>(r.GetString(1)),
        Enum.Parse<WorkOrderState>(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetStringOrNull(5), Enum.Parse<WorkOrderPriority>(r.GetString(6)),
        ReadNullableDate(r, 7)!.Value, ReadInstant(r, 23), r.GetString(24), r.GetInt64OrNull(8), r.IsDBNull(9) ? null : r.GetInt32(9), r.GetInt64OrNull(10),
        r.GetInt64OrNull(11), r.GetStringOrNull(12), r.GetStringOrNull(13), ReadNullableInstant(r, 14), ReadNullableInstant(r, 15), r.GetStringOrNull(16),
        r.GetStringOrNull(17), NullableDouble(r, 18), ReadNullableInstant(r, 19), r.GetStringOrNull(20), ReadNullableInstant(r, 21), r.GetStringOrNull(22),
        r.GetInt64(25));
}
