using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>
/// Quartz.NET's ADO.NET job store tables for SQLite, as the 4.7 store reads and writes them (Quartz documentation,
/// "Database Schema", and the column list of <c>AdoConstants</c>): the 3.x tables plus the nullable columns 4.0–4.7
/// added (execution group, preferred node, retry, continuations, overlap policy, pause reason, per-trigger misfire
/// threshold, fixed delay, progress, remote interrupts, the node's Quartz version). The optional execution-history
/// tables are not created: we do not turn history on.
/// <para>
/// Types are SQLite affinities (TEXT, INTEGER, BLOB, NUMERIC): times are ticks in INTEGER, booleans 0/1. Quartz's
/// connections do not enable foreign keys, and it deletes a trigger's extension row itself; the
/// <c>QRTZ_TRIGGER_DELETED</c> trigger is a backstop so that no orphaned extension row can outlive its trigger.
/// </para>
/// <para>
/// A later Quartz release that adds columns gets a new migration step here (ALTER TABLE … ADD COLUMN, from the
/// release's migration notes) — never an edit of step 1, which databases in the field already have.
/// </para>
/// </summary>
internal static class QuartzSchema
{
    public static readonly SqliteMigration[] Migrations =
    [
        new(1, "Quartz.NET 4.7 job store tables (QRTZ_)", """
            CREATE TABLE QRTZ_JOB_DETAILS (
                SCHED_NAME        TEXT    NOT NULL,
                JOB_NAME          TEXT    NOT NULL,
                JOB_GROUP         TEXT    NOT NULL,
                DESCRIPTION       TEXT,
                JOB_CLASS_NAME    TEXT    NOT NULL,
                IS_DURABLE        INTEGER NOT NULL,
                IS_NONCONCURRENT  INTEGER NOT NULL,
                IS_UPDATE_DATA    INTEGER NOT NULL,
                REQUESTS_RECOVERY INTEGER NOT NULL,
                JOB_DATA          BLOB,
                PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP)
            );

            CREATE TABLE QRTZ_TRIGGERS (
                SCHED_NAME              TEXT    NOT NULL,
                TRIGGER_NAME            TEXT    NOT NULL,
                TRIGGER_GROUP           TEXT    NOT NULL,
                JOB_NAME                TEXT    NOT NULL,
                JOB_GROUP               TEXT    NOT NULL,
                DESCRIPTION             TEXT,
                NEXT_FIRE_TIME          INTEGER,
                PREV_FIRE_TIME          INTEGER,
                PRIORITY                INTEGER,
                TRIGGER_STATE           TEXT    NOT NULL,
                TRIGGER_TYPE            TEXT    NOT NULL,
                START_TIME              INTEGER NOT NULL,
                END_TIME                INTEGER,
                CALENDAR_NAME           TEXT,
                MISFIRE_INSTR           INTEGER,
                MISFIRE_ORIG_FIRE_TIME  INTEGER,
                EXECUTION_GROUP         TEXT,
                PREFERRED_NODE          TEXT,
                PREFERRED_NODE_AUTO     INTEGER NOT NULL DEFAULT 0,
                RETRY_POLICY            TEXT,
                RETRY_ATTEMPT           INTEGER,
                CONTINUES_TRIGGER_NAME  TEXT,
                CONTINUES_TRIGGER_GROUP TEXT,
                CONTINUATION_CONDITION  INTEGER,
                OVERLAP_POLICY          INTEGER,
                PAUSE_REASON            TEXT,
                PAUSED_BY               TEXT,
                PAUSED_AT               INTEGER,
                MISFIRE_THRESHOLD       INTEGER,
                FIXED_DELAY             INTEGER,
                JOB_DATA                BLOB,
                PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                FOREIGN KEY (SCHED_NAME, JOB_NAME, JOB_GROUP) REFERENCES QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP)
            );

            -- The four trigger extensions: one row beside a trigger of that kind.
            CREATE TABLE QRTZ_SIMPLE_TRIGGERS (
                SCHED_NAME      TEXT    NOT NULL,
                TRIGGER_NAME    TEXT    NOT NULL,
                TRIGGER_GROUP   TEXT    NOT NULL,
                REPEAT_COUNT    INTEGER NOT NULL,
                REPEAT_INTERVAL INTEGER NOT NULL,
                TIMES_TRIGGERED INTEGER NOT NULL,
                PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
            );

            CREATE TABLE QRTZ_CRON_TRIGGERS (
                SCHED_NAME      TEXT NOT NULL,
                TRIGGER_NAME    TEXT NOT NULL,
                TRIGGER_GROUP   TEXT NOT NULL,
                CRON_EXPRESSION TEXT NOT NULL,
                TIME_ZONE_ID    TEXT,
                PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
            );

            CREATE TABLE QRTZ_SIMPROP_TRIGGERS (
                SCHED_NAME    TEXT NOT NULL,
                TRIGGER_NAME  TEXT NOT NULL,
                TRIGGER_GROUP TEXT NOT NULL,
                STR_PROP_1    TEXT,
                STR_PROP_2    TEXT,
                STR_PROP_3    TEXT,
                INT_PROP_1    INTEGER,
                INT_PROP_2    INTEGER,
                LONG_PROP_1   INTEGER,
                LONG_PROP_2   INTEGER,
                DEC_PROP_1    NUMERIC,
                DEC_PROP_2    NUMERIC,
                BOOL_PROP_1   INTEGER,
                BOOL_PROP_2   INTEGER,
                TIME_ZONE_ID  TEXT,
                PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
            );

            CREATE TABLE QRTZ_BLOB_TRIGGERS (
                SCHED_NAME    TEXT NOT NULL,
                TRIGGER_NAME  TEXT NOT NULL,
                TRIGGER_GROUP TEXT NOT NULL,
                BLOB_DATA     BLOB,
                PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) ON DELETE CASCADE
            );

            CREATE TRIGGER QRTZ_TRIGGER_DELETED AFTER DELETE ON QRTZ_TRIGGERS
            BEGIN
                DELETE FROM QRTZ_SIMPLE_TRIGGERS  WHERE SCHED_NAME = OLD.SCHED_NAME AND TRIGGER_NAME = OLD.TRIGGER_NAME AND TRIGGER_GROUP = OLD.TRIGGER_GROUP;
                DELETE FROM QRTZ_CRON_TRIGGERS    WHERE SCHED_NAME = OLD.SCHED_NAME AND TRIGGER_NAME = OLD.TRIGGER_NAME AND TRIGGER_GROUP = OLD.TRIGGER_GROUP;
                DELETE FROM QRTZ_SIMPROP_TRIGGERS WHERE SCHED_NAME = OLD.SCHED_NAME AND TRIGGER_NAME = OLD.TRIGGER_NAME AND TRIGGER_GROUP = OLD.TRIGGER_GROUP;
                DELETE FROM QRTZ_BLOB_TRIGGERS    WHERE SCHED_NAME = OLD.SCHED_NAME AND TRIGGER_NAME = OLD.TRIGGER_NAME AND TRIGGER_GROUP = OLD.TRIGGER_GROUP;
            END;

            CREATE TABLE QRTZ_CALENDARS (
                SCHED_NAME    TEXT NOT NULL,
                CALENDAR_NAME TEXT NOT NULL,
                CALENDAR      BLOB NOT NULL,
                PRIMARY KEY (SCHED_NAME, CALENDAR_NAME)
            );

            CREATE TABLE QRTZ_PAUSED_TRIGGER_GRPS (
                SCHED_NAME    TEXT NOT NULL,
                TRIGGER_GROUP TEXT NOT NULL,
                PAUSE_REASON  TEXT,
                PAUSED_BY     TEXT,
                PAUSED_AT     INTEGER,
                PRIMARY KEY (SCHED_NAME, TRIGGER_GROUP)
            );

            CREATE TABLE QRTZ_PAUSED_JOB_GRPS (
                SCHED_NAME   TEXT NOT NULL,
                JOB_GROUP    TEXT NOT NULL,
                PAUSE_REASON TEXT,
                PAUSED_BY    TEXT,
                PAUSED_AT    INTEGER,
                PRIMARY KEY (SCHED_NAME, JOB_GROUP)
            );

            -- A firing in progress (acquired or executing): what start-up recovery looks at.
            CREATE TABLE QRTZ_FIRED_TRIGGERS (
                SCHED_NAME               TEXT    NOT NULL,
                ENTRY_ID                 TEXT    NOT NULL,
                TRIGGER_NAME             TEXT    NOT NULL,
                TRIGGER_GROUP            TEXT    NOT NULL,
                INSTANCE_NAME            TEXT    NOT NULL,
                FIRED_TIME               INTEGER NOT NULL,
                SCHED_TIME               INTEGER NOT NULL,
                PRIORITY                 INTEGER NOT NULL,
                STATE                    TEXT    NOT NULL,
                JOB_NAME                 TEXT,
                JOB_GROUP                TEXT,
                IS_NONCONCURRENT         INTEGER,
                REQUESTS_RECOVERY        INTEGER,
                EXECUTION_GROUP          TEXT,
                PROGRESS                 INTEGER,
                PROGRESS_MESSAGE         TEXT,
                INTERRUPT_REQUESTED_TIME INTEGER,
                PRIMARY KEY (SCHED_NAME, ENTRY_ID)
            );

            CREATE TABLE QRTZ_SCHEDULER_STATE (
                SCHED_NAME        TEXT    NOT NULL,
                INSTANCE_NAME     TEXT    NOT NULL,
                LAST_CHECKIN_TIME INTEGER NOT NULL,
                CHECKIN_INTERVAL  INTEGER NOT NULL,
                QUARTZ_VERSION    TEXT,
                PRIMARY KEY (SCHED_NAME, INSTANCE_NAME)
            );

            CREATE TABLE QRTZ_LOCKS (
                SCHED_NAME TEXT NOT NULL,
                LOCK_NAME  TEXT NOT NULL,
                PRIMARY KEY (SCHED_NAME, LOCK_NAME)
            );

            -- The store's hot queries: next triggers to acquire, a job's triggers, a group's triggers, a node's firings.
            CREATE INDEX QRTZ_TRIGGERS_NEXT     ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME, PRIORITY DESC, MISFIRE_INSTR);
            CREATE INDEX QRTZ_TRIGGERS_JOB      ON QRTZ_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
            CREATE INDEX QRTZ_TRIGGERS_GROUP    ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_GROUP, TRIGGER_NAME);
            CREATE INDEX QRTZ_TRIGGERS_CALENDAR ON QRTZ_TRIGGERS (SCHED_NAME, CALENDAR_NAME);
            CREATE INDEX QRTZ_JOB_DETAILS_GROUP ON QRTZ_JOB_DETAILS (SCHED_NAME, JOB_GROUP, JOB_NAME);
            CREATE INDEX QRTZ_FIRED_INSTANCE    ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, INSTANCE_NAME, REQUESTS_RECOVERY);
            CREATE INDEX QRTZ_FIRED_JOB         ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
            CREATE INDEX QRTZ_FIRED_TRIGGER     ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP);
            """),
    ];
}
