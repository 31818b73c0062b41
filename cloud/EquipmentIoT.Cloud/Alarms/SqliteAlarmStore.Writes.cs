using Microsoft.Data.Sqlite;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Alarms;

public sealed partial class SqliteAlarmStore
{
    private const string Values = """
        $rule, $device, $kind, $class, $site, $severity, $rank, $state, $open, $active, $raised, $changed, $value, $reason,
        $toggles, $count, $level, $acked_at, $acked_by, $ack_comment, $shelved_until, $shelved_from, $resolved_at, $resolved_by
        """;

    private static async Task<long> InsertAsync(SqliteConnection c, SqliteTransaction tx, Alarm a, CancellationToken cancellationToken)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"""
            INSERT INTO alarms (rule_id, device, subject_kind, device_class, site, severity, severity_rank, state, open, condition_active,
                raised_at, changed_at, value, reason, recent_toggles, toggle_count, escalation_level, acknowledged_at, acknowledged_by,
                acknowledge_comment, shelved_until, shelved_from, resolved_at, resolved_by, version)
            VALUES ({Values}, 1)
            RETURNING id
            """;
        Bind(insert, a);
        return (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<long> UpdateAsync(SqliteConnection c, SqliteTransaction tx, Alarm a, CancellationToken cancellationToken)
    {
        await using var update = c.CreateCommand();
        update.Transaction = tx;
        update.CommandText = """
            UPDATE alarms SET rule_id = $rule, device = $device, subject_kind = $kind, device_class = $class, site = $site, severity = $severity,
                severity_rank = $rank, state = $state, open = $open, condition_active = $active, raised_at = $raised, changed_at = $changed,
                value = $value, reason = $reason, recent_toggles = $toggles, toggle_count = $count, escalation_level = $level,
                acknowledged_at = $acked_at, acknowledged_by = $acked_by, acknowledge_comment = $ack_comment, shelved_until = $shelved_until,
                shelved_from = $shelved_from, resolved_at = $resolved_at, resolved_by = $resolved_by, version = version + 1
            WHERE id = $id AND version = $version
            """;
        Bind(update, a);
        Add(update, "$id", a.Id);
        Add(update, "$version", a.Version);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            throw new AlarmConflictException($"alarm {a.Id} changed since version {a.Version} was read");
        return a.Id;
    }

    private static void Bind(SqliteCommand command, Alarm a)
    {
        Add(command, "$rule", a.RuleId);
        Add(command, "$device", a.Device);
        Add(command, "$kind", a.SubjectKind.ToString());
        Add(command, "$class", a.DeviceClass);
        Add(command, "$site", a.Site);
        Add(command, "$severity", a.Severity.ToString());
        Add(command, "$rank", (int)a.Severity);
        Add(command, "$state", a.State.ToString());
        Add(command, "$open", a.IsOpen ? 1 : 0);
        Add(command, "$active", a.ConditionActive ? 1 : 0);
        Add(command, "$raised", Text(a.RaisedAt));
        Add(command, "$changed", Text(a.ChangedAt));
        Add(command, "$value", a.Value);
        Add(command, "$reason", a.Reason);
        Add(command, "$toggles", WriteToggles(a.RecentToggles));
        Add(command, "$count", a.ToggleCount);
        Add(command, "$level", a.EscalationLevel);
        Add(command, "$acked_at", Text(a.AcknowledgedAt));
        Add(command, "$acked_by", a.AcknowledgedBy);
        Add(command, "$ack_comment", a.AcknowledgeComment);
        Add(command, "$shelved_until", Text(a.ShelvedUntil));
        Add(command, "$shelved_from", a.ShelvedFrom?.ToString());
        Add(command, "$resolved_at", Text(a.ResolvedAt));
        Add(command, "$resolved_by", a.ResolvedBy);
    }

    private static async Task InsertTransitionAsync(SqliteConnection c, SqliteTransaction tx, AlarmTransition t, CancellationToken cancellationToken)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO alarm_transitions (alarm_id, from_state, to_state, at, actor, comment, action, level)
            VALUES ($alarm, $from, $to, $at, $actor, $comment, $action, $level)
            """;
        Add(insert, "$alarm", t.AlarmId);
        Add(insert, "$from", t.From?.ToString());
        Add(insert, "$to", t.To.ToString());
        Add(insert, "$at", Text(t.At));
        Add(insert, "$actor", t.Actor);
        Add(insert, "$comment", t.Comment);
        Add(insert, "$action", t.Action.ToString());
        Add(insert, "$level", t.Level);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
