using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Builds.Sqlite;

/// <summary>
/// The build tables in records.db. Sealing is enforced by the database too: triggers refuse every change to a sealed
/// build's rows, every update or delete of entries, parts and ledger links, and any entry on a sealed build that is
/// not a correction. (Someone with the file can drop a trigger; <c>verify</c> is what catches that.)
/// </summary>
internal static class BuildSchema
{
    public const string Component = "builds";

    public static readonly SqliteMigration[] Migrations =
    [
        new(1, "build records, entries, parts, ledger", """
            CREATE TABLE builds (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                batch_number     TEXT NOT NULL UNIQUE,
                device           TEXT NOT NULL,
                agent            TEXT NOT NULL,
                job_id           INTEGER,
                layers_planned   INTEGER,
                layers_started   INTEGER NOT NULL DEFAULT 0,
                status           TEXT NOT NULL,
                started          TEXT NOT NULL,
                ended            TEXT,
                pauses           INTEGER NOT NULL DEFAULT 0,
                faults           INTEGER NOT NULL DEFAULT 0,
                recoater_passes  INTEGER NOT NULL DEFAULT 0,
                excursion_layers INTEGER NOT NULL DEFAULT 0,
                summarised       TEXT,
                sealed           TEXT
            );
            CREATE INDEX builds_device_started ON builds (device, started);
            CREATE INDEX builds_started ON builds (started);

            CREATE TABLE build_layers (
                build_id INTEGER NOT NULL REFERENCES builds (id),
                layer    INTEGER NOT NULL,
                started  TEXT NOT NULL,
                ended    TEXT,
                PRIMARY KEY (build_id, layer)
            ) WITHOUT ROWID;

            CREATE TABLE build_signals (
                build_id   INTEGER NOT NULL REFERENCES builds (id),
                layer      INTEGER NOT NULL,
                signal     TEXT NOT NULL,
                unit       TEXT,
                count      INTEGER NOT NULL,
                min        REAL NOT NULL,
                max        REAL NOT NULL,
                mean       REAL NOT NULL,
                outside    INTEGER NOT NULL,
                window_min REAL,
                window_max REAL,
                PRIMARY KEY (build_id, layer, signal)
            ) WITHOUT ROWID;

            CREATE TABLE build_timeline (
                event_id INTEGER PRIMARY KEY,
                build_id INTEGER NOT NULL REFERENCES builds (id),
                at       TEXT NOT NULL,
                kind     TEXT NOT NULL,
                detail   TEXT NOT NULL
            );
            CREATE INDEX build_timeline_build ON build_timeline (build_id);

            CREATE TABLE build_entries (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                build_id  INTEGER NOT NULL REFERENCES builds (id),
                kind      TEXT NOT NULL,
                fields    TEXT NOT NULL,
                actor     TEXT NOT NULL,
                role      TEXT NOT NULL,
                at        TEXT NOT NULL,
                corrects  INTEGER REFERENCES build_entries (id),
                prev_hash TEXT,
                hash      TEXT NOT NULL UNIQUE
            );
            CREATE INDEX build_entries_build ON build_entries (build_id, id);
            CREATE INDEX build_entries_powder_lot ON build_entries (json_extract(fields, '$.powder_lot')) WHERE kind = 'material';
            CREATE INDEX build_entries_case ON build_entries (json_extract(fields, '$.case_ref')) WHERE kind IN ('order', 'part');

            CREATE TABLE build_parts (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                build_id        INTEGER NOT NULL REFERENCES builds (id),
                part_number     TEXT NOT NULL UNIQUE,
                gtin            TEXT NOT NULL,
                lot             TEXT NOT NULL,
                production_date TEXT NOT NULL,
                serial          TEXT NOT NULL,
                udi             TEXT NOT NULL UNIQUE,
                udi_element     TEXT NOT NULL,
                case_ref        TEXT NOT NULL,
                device_name     TEXT NOT NULL,
                entry_id        INTEGER NOT NULL REFERENCES build_entries (id)
            );
            CREATE INDEX build_parts_case ON build_parts (case_ref);
            CREATE UNIQUE INDEX build_parts_lot_serial ON build_parts (lot, serial);

            CREATE TABLE build_ledger (
                seq          INTEGER PRIMARY KEY,
                kind         TEXT NOT NULL,
                build_id     INTEGER NOT NULL REFERENCES builds (id),
                entry_id     INTEGER REFERENCES build_entries (id),
                last_entry   INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                prev_hash    TEXT,
                hash         TEXT NOT NULL UNIQUE,
                at           TEXT NOT NULL,
                actor        TEXT NOT NULL
            );

            CREATE TABLE build_tracker (
                id            INTEGER PRIMARY KEY CHECK (id = 1),
                last_event_id INTEGER NOT NULL
            );
            INSERT INTO build_tracker (id, last_event_id) VALUES (1, 0);

            CREATE TRIGGER builds_sealed_update BEFORE UPDATE ON builds WHEN OLD.sealed IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER builds_no_delete BEFORE DELETE ON builds
            BEGIN SELECT RAISE(ABORT, 'build records are never deleted'); END;
            CREATE TRIGGER build_layers_sealed_insert BEFORE INSERT ON build_layers
                WHEN (SELECT sealed FROM builds WHERE id = NEW.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_layers_sealed_update BEFORE UPDATE ON build_layers
                WHEN (SELECT sealed FROM builds WHERE id = OLD.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_layers_sealed_delete BEFORE DELETE ON build_layers
                WHEN (SELECT sealed FROM builds WHERE id = OLD.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_signals_sealed_insert BEFORE INSERT ON build_signals
                WHEN (SELECT sealed FROM builds WHERE id = NEW.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_signals_sealed_update BEFORE UPDATE ON build_signals
                WHEN (SELECT sealed FROM builds WHERE id = OLD.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_signals_sealed_delete BEFORE DELETE ON build_signals
                WHEN (SELECT sealed FROM builds WHERE id = OLD.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_timeline_sealed_insert BEFORE INSERT ON build_timeline
                WHEN (SELECT sealed FROM builds WHERE id = NEW.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_timeline_no_update BEFORE UPDATE ON build_timeline
            BEGIN SELECT RAISE(ABORT, 'the build timeline is append-only'); END;
            CREATE TRIGGER build_timeline_no_delete BEFORE DELETE ON build_timeline
            BEGIN SELECT RAISE(ABORT, 'the build timeline is append-only'); END;
            CREATE TRIGGER build_entries_sealed_insert BEFORE INSERT ON build_entries
                WHEN NEW.corrects IS NULL AND (SELECT sealed FROM builds WHERE id = NEW.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed: only corrections are taken'); END;
            CREATE TRIGGER build_entries_no_update BEFORE UPDATE ON build_entries
            BEGIN SELECT RAISE(ABORT, 'entries are never edited: add a correction'); END;
            CREATE TRIGGER build_entries_no_delete BEFORE DELETE ON build_entries
            BEGIN SELECT RAISE(ABORT, 'entries are never deleted: add a correction'); END;
            CREATE TRIGGER build_parts_sealed_insert BEFORE INSERT ON build_parts
                WHEN (SELECT sealed FROM builds WHERE id = NEW.build_id) IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'build record is sealed'); END;
            CREATE TRIGGER build_parts_no_update BEFORE UPDATE ON build_parts
            BEGIN SELECT RAISE(ABORT, 'parts are never edited'); END;
            CREATE TRIGGER build_parts_no_delete BEFORE DELETE ON build_parts
            BEGIN SELECT RAISE(ABORT, 'parts are never deleted'); END;
            CREATE TRIGGER build_ledger_no_update BEFORE UPDATE ON build_ledger
            BEGIN SELECT RAISE(ABORT, 'the build ledger is append-only'); END;
            CREATE TRIGGER build_ledger_no_delete BEFORE DELETE ON build_ledger
            BEGIN SELECT RAISE(ABORT, 'the build ledger is append-only'); END;
            """),
    ];
}
