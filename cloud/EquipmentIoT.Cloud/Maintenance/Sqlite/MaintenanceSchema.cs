using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Maintenance.Sqlite;

/// <summary>
/// The maintenance tables in records.db (component "maintenance"). The unique indexes carry the due job's idempotency: one work order
/// per plan occurrence, one per calibration due date, one open work order per alarm — a second instance or a second run that computes
/// the same occurrence inserts nothing. Transitions are append-only; plans and items are deleted softly (work orders refer to them).
/// Alarm ids are not foreign keys: the alarms component migrates on its own.
/// </summary>
internal static class MaintenanceSchema
{
    public const string Component = "maintenance";

    public static readonly SqliteMigration[] Migrations =
    [
        new(1, "maintenance plans, calibration items, work orders, transitions, parts, notices sent", """
            CREATE TABLE maintenance_plans (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                device           TEXT NOT NULL,
                title            TEXT NOT NULL,
                description      TEXT,
                basis            TEXT NOT NULL,
                every_months     INTEGER,
                anchor           TEXT,
                measure          TEXT,
                metric           TEXT,
                every_usage      REAL,
                reminder_days    INTEGER,
                reminder_percent REAL,
                priority         TEXT NOT NULL,
                enabled          INTEGER NOT NULL,
                usage_from       TEXT NOT NULL,
                created          TEXT NOT NULL,
                created_by       TEXT NOT NULL,
                updated          TEXT,
                updated_by       TEXT,
                deleted          TEXT,
                deleted_by       TEXT
            );
            CREATE INDEX maintenance_plans_device ON maintenance_plans (device) WHERE deleted IS NULL;

            CREATE TABLE calibration_items (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                device          TEXT NOT NULL,
                instrument      TEXT NOT NULL,
                serial_number   TEXT,
                certificate     TEXT,
                last_calibrated TEXT,
                due             TEXT NOT NULL,
                interval_months INTEGER NOT NULL,
                reminder_days   INTEGER NOT NULL,
                notes           TEXT,
                created         TEXT NOT NULL,
                created_by      TEXT NOT NULL,
                updated         TEXT,
                updated_by      TEXT,
                deleted         TEXT,
                deleted_by      TEXT
            );
            CREATE INDEX calibration_items_device ON calibration_items (device) WHERE deleted IS NULL;

            CREATE TABLE work_orders (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                kind            TEXT NOT NULL,
                state           TEXT NOT NULL,
                device          TEXT NOT NULL,
                title           TEXT NOT NULL,
                description     TEXT,
                priority        TEXT NOT NULL,
                due             TEXT NOT NULL,
                plan_id         INTEGER REFERENCES maintenance_plans (id),
                plan_occurrence INTEGER,
                calibration_id  INTEGER REFERENCES calibration_items (id),
                alarm_id        INTEGER,
                alarm_rule      TEXT,
                assigned_to     TEXT,
                started         TEXT,
                completed       TEXT,
                completed_by    TEXT,
                notes           TEXT,
                labour_hours    REAL,
                verified        TEXT,
                verified_by     TEXT,
                cancelled       TEXT,
                cancel_reason   TEXT,
                created         TEXT NOT NULL,
                created_by      TEXT NOT NULL,
                version         INTEGER NOT NULL,
                CHECK ((plan_id IS NULL) = (plan_occurrence IS NULL))
            );
            CREATE UNIQUE INDEX work_orders_plan_occurrence ON work_orders (plan_id, plan_occurrence) WHERE plan_id IS NOT NULL;
            CREATE UNIQUE INDEX work_orders_calibration_due ON work_orders (calibration_id, due) WHERE calibration_id IS NOT NULL;
            CREATE UNIQUE INDEX work_orders_open_alarm ON work_orders (alarm_id)
                WHERE alarm_id IS NOT NULL AND state IN ('Open', 'Assigned', 'InProgress');
            CREATE INDEX work_orders_device ON work_orders (device, id);
            CREATE INDEX work_orders_state ON work_orders (state, due);

            CREATE TABLE work_order_parts (
                work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
                line          INTEGER NOT NULL,
                part          TEXT NOT NULL,
                quantity      REAL NOT NULL,
                unit          TEXT,
                description   TEXT,
                PRIMARY KEY (work_order_id, line)
            ) WITHOUT ROWID;

            CREATE TABLE work_order_transitions (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
                from_state    TEXT,
                to_state      TEXT NOT NULL,
                at            TEXT NOT NULL,
                actor         TEXT NOT NULL,
                comment       TEXT
            );
            CREATE INDEX work_order_transitions_order ON work_order_transitions (work_order_id, id);
            CREATE TRIGGER work_order_transitions_no_update BEFORE UPDATE ON work_order_transitions
            BEGIN SELECT RAISE(ABORT, 'work order transitions are append-only'); END;
            CREATE TRIGGER work_order_transitions_no_delete BEFORE DELETE ON work_order_transitions
            BEGIN SELECT RAISE(ABORT, 'work order transitions are append-only'); END;

            CREATE TABLE maintenance_notices (
                key  TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                at   TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
    ];
}
