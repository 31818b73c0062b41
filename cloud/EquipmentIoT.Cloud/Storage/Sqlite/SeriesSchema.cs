namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// Tables of the series store in series.db, migration component "series". Points are not stored one row
/// each (SQLite manages ≈56k rows/s into a table indexed on (device, metric, time), far from the 250k points/s
/// target): each stored batch adds one chunk row per series it carries, a compact BLOB of its points
/// (<see cref="SeriesChunkCodec"/>), appended in write order and found through a slim (series, start time)
/// index; 1-minute and 1-hour rollups, upserted in the same transaction, answer long ranges. The hot rows are
/// written through <see cref="RawStatement"/>s.
/// </summary>
internal static class SeriesSchema
{
    public const string Component = "series";

    private static string Rollup(string table) => $"""
        CREATE TABLE {table} (
                series_id  INTEGER NOT NULL,
                bucket     INTEGER NOT NULL,
                n          INTEGER NOT NULL,
                total      REAL    NOT NULL,
                low        REAL    NOT NULL,
                high       REAL    NOT NULL,
                last_value REAL    NOT NULL,
                last_time  INTEGER NOT NULL,
                PRIMARY KEY (series_id, bucket)
            ) WITHOUT ROWID;
        """;

    public static readonly IReadOnlyList<SqliteMigration> Migrations =
    [
        new(1, "series, written batches, chunks, 1-minute and 1-hour rollups", $$"""
            -- One row per (device, metric). The newest point is kept here ("latest"): one upsert per series and
            -- write instead of a second table. max_span bounds how far before a query's start a chunk may begin.
            CREATE TABLE series (
                id             INTEGER PRIMARY KEY,
                device         TEXT    NOT NULL,
                metric         TEXT    NOT NULL,
                unit           TEXT,
                first_time     INTEGER,
                last_time      INTEGER,
                points         INTEGER NOT NULL DEFAULT 0,
                max_span       INTEGER NOT NULL DEFAULT 0,
                latest_value   REAL,
                latest_quality INTEGER,
                UNIQUE (device, metric)
            );

            -- The ledger's batch ids already written: the idempotency key (a batch written again adds nothing).
            -- Its rowid n grows with every write, which lets a backup find what was written while it ran.
            CREATE TABLE written_batches (
                n        INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL UNIQUE,
                agent    TEXT    NOT NULL,
                points   INTEGER NOT NULL
            );

            -- Appended in write order (rowid), so that a commit writes a few new pages rather than one page per series;
            -- the slim index finds a series' chunks by time.
            CREATE TABLE chunks (
                id         INTEGER PRIMARY KEY,
                series_id  INTEGER NOT NULL,
                batch_id   INTEGER NOT NULL,
                start_time INTEGER NOT NULL,
                end_time   INTEGER NOT NULL,
                count      INTEGER NOT NULL,
                data       BLOB    NOT NULL
            );
            CREATE INDEX chunks_series_time ON chunks (series_id, start_time);

            -- Aggregates of the points whose quality is not "bad", per series and bucket (epoch-aligned).
            {{Rollup("rollup_1m")}}
            {{Rollup("rollup_1h")}}
            """),
    ];
}
