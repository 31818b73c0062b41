namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// Tables of the telemetry ledger in records.db, migration component "ledger". Instants are INTEGER Unix
/// milliseconds; enums are stored by name (readable with the sqlite3 shell, stable when members are added).
/// </summary>
internal static class LedgerSchema
{
    public const string Component = "ledger";

    public static readonly IReadOnlyList<SqliteMigration> Migrations =
    [
        new(1, "batches, events, quarantine, gaps, per-agent integrity counters", """
            -- One row per accepted batch; jws (the exact bytes received, the proof of origin) is the last column so
            -- that scans of the other columns do not touch its overflow pages.
            CREATE TABLE batches (
                id             INTEGER PRIMARY KEY,
                agent          TEXT    NOT NULL,
                stream         TEXT    NOT NULL,
                seq            INTEGER NOT NULL,
                kid            TEXT    NOT NULL,
                hash           TEXT    NOT NULL,
                prev           TEXT,
                created        INTEGER NOT NULL,
                received       INTEGER NOT NULL,
                points         INTEGER NOT NULL,
                events         INTEGER NOT NULL,
                jws            BLOB    NOT NULL,
                UNIQUE (agent, stream, seq)
            );

            -- Stored batches whose points are not yet in the series store: a row in this small table rather than a
            -- flag in the batch's row, so that clearing it rewrites a page of ids, not the first page of every JWS.
            CREATE TABLE series_pending (
                batch_id INTEGER PRIMARY KEY REFERENCES batches (id)
            );

            -- Events of batches (batch_id set) and the cloud's own integrity events (batch_id null, device = agent).
            CREATE TABLE events (
                id       INTEGER PRIMARY KEY,
                agent    TEXT    NOT NULL,
                device   TEXT    NOT NULL,
                type     TEXT    NOT NULL,
                ts       INTEGER NOT NULL,
                data     TEXT    NOT NULL,
                batch_id INTEGER REFERENCES batches (id)
            );
            CREATE INDEX events_device_ts ON events (device, ts);
            CREATE INDEX events_type_ts ON events (type, ts);
            CREATE INDEX events_agent_ts ON events (agent, ts);
            CREATE INDEX events_ts ON events (ts);

            -- payload holds at most the first 64 KiB of what arrived; payload_bytes its full length.
            CREATE TABLE quarantine (
                id            INTEGER PRIMARY KEY,
                agent         TEXT    NOT NULL,
                kid           TEXT,
                stream        TEXT,
                seq           INTEGER,
                reason        TEXT    NOT NULL,
                detail        TEXT    NOT NULL,
                received      INTEGER NOT NULL,
                payload_bytes INTEGER NOT NULL,
                payload       BLOB    NOT NULL
            );
            CREATE INDEX quarantine_received ON quarantine (received);
            CREATE INDEX quarantine_agent_received ON quarantine (agent, received);

            -- Missing seqs of a stream. A row is the range still missing: it shrinks or splits as batches arrive,
            -- and becomes Filled (keeping its last range) when its last seq arrived.
            CREATE TABLE gaps (
                id             INTEGER PRIMARY KEY,
                agent          TEXT    NOT NULL,
                stream         TEXT    NOT NULL,
                from_seq       INTEGER NOT NULL,
                to_seq         INTEGER NOT NULL,
                detected       INTEGER NOT NULL,
                requests       INTEGER NOT NULL DEFAULT 0,
                last_requested INTEGER,
                status         TEXT    NOT NULL,
                resolved_at    INTEGER,
                CHECK (from_seq <= to_seq)
            );
            CREATE INDEX gaps_unfilled ON gaps (agent, stream, from_seq) WHERE status <> 'Filled';
            CREATE INDEX gaps_agent_status ON gaps (agent, status);

            -- Counted in the transaction that stores, skips or quarantines each message.
            CREATE TABLE agent_integrity (
                agent         TEXT    PRIMARY KEY,
                received      INTEGER NOT NULL,
                stored        INTEGER NOT NULL,
                duplicates    INTEGER NOT NULL,
                quarantined   INTEGER NOT NULL,
                last_received INTEGER
            ) WITHOUT ROWID;
            """),
    ];
}
