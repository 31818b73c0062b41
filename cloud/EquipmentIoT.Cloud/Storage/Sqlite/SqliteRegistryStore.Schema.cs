namespace EquipmentIoT.Cloud.Storage.Sqlite;

public sealed partial class SqliteRegistryStore
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "registry";

    // Devices carry no foreign key to agents: an asset record may be entered before any agent sends data.
    // The asset columns are searched by substring (instr over lower()), which scans: a register holds
    // thousands of devices, not millions, and a scan of that is sub-millisecond.
    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "agents, keys, devices with asset records, sites", """
            CREATE TABLE agents (
                id          TEXT PRIMARY KEY,
                site        TEXT,
                description TEXT,
                registered  TEXT NOT NULL,
                last_seen   TEXT
            ) WITHOUT ROWID;
            CREATE TABLE agent_keys (
                kid            TEXT PRIMARY KEY,
                agent_id       TEXT NOT NULL REFERENCES agents (id),
                public_key_pem TEXT NOT NULL,
                added          TEXT NOT NULL,
                revoked        TEXT,
                revoked_reason TEXT
            ) WITHOUT ROWID;
            CREATE INDEX agent_keys_by_agent ON agent_keys (agent_id);
            CREATE TABLE devices (
                id                TEXT PRIMARY KEY,
                agent_id          TEXT,
                first_seen        TEXT,
                last_seen         TEXT,
                device_class      TEXT,
                manufacturer      TEXT,
                model             TEXT,
                serial_number     TEXT,
                department        TEXT,
                location          TEXT,
                installation_date TEXT,
                owner_unit        TEXT,
                licence_number    TEXT,
                site              TEXT,
                name              TEXT
            ) WITHOUT ROWID;
            CREATE INDEX devices_by_agent ON devices (agent_id);
            CREATE TABLE sites (
                id        TEXT PRIMARY KEY,
                name      TEXT NOT NULL,
                time_zone TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
    ];
}
