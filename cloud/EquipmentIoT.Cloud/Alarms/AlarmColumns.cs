namespace EquipmentIoT.Cloud.Alarms;

/// <summary>The alarms table's columns in the order both alarm stores (SQLite, PostgreSQL) read them.</summary>
internal static class AlarmColumns
{
    public const string Read = """
        id, rule_id, device, subject_kind, device_class, site, severity, state, condition_active, raised_at, changed_at, value, reason,
        recent_toggles, toggle_count, escalation_level, acknowledged_at, acknowledged_by, acknowledge_comment, shelved_until, shelved_from,
        resolved_at, resolved_by, version
        """;
}
