namespace EquipmentIoT.Cloud.Storage.Postgres;

public sealed partial class PostgresRegistryStore
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "registry";

    // The tables of SqliteRegistryStore, column for column; instants and dates as text (PostgresRecordValues).
    internal static readonly PostgresMigration[] Migrations =
    [
        new(1, "agents, keys, devices with asset records, sites", """
            CREATE TABLE agents (
                id          text COLLATE "C" PRIMARY KEY,
                site        text COLLATE "C",
                description text,
                registered  text COLLATE "C" NOT NULL,
                last_seen   text COLLATE "C"
            );
            CREATE TABLE agent_keys (
                kid            text COLLATE "C" PRIMARY KEY,
                agent_id       text COLLATE "C" NOT NULL REFERENCES agents (id),
                public_key_pem text NOT NULL,
                added          text COLLATE "C" NOT NULL,
                revoked        text COLLATE "C",
                revoked_reason text
            );
            CREATE INDEX agent_keys_by_agent ON agent_keys (agent_id);
            CREATE TABLE devices (
                id                text COLLATE "C" PRIMARY KEY,
                agent_id          text COLLATE "C",
                first_seen        text COLLATE "C",
                last_seen         text COLLATE "C",
                device_class      text COLLATE "C",
                manufacturer      text COLLATE "C",
                model             text COLLATE "C",
                serial_number     text COLLATE "C",
                department        text COLLATE "C",
                location          text COLLATE "C",
                installation_date text COLLATE "C",
                owner_unit        text COLLATE "C",
                licence_number    text COLLATE "C",
                site              text COLLATE "C",
                name              text COLLATE "C"
            );
            CREATE INDEX devices_by_agent ON devices (agent_id);
            CREATE TABLE sites (
                id        text COLLATE "C" PRIMARY KEY,
                name      text NOT NULL,
                time_zone text NOT NULL
            );
            """),
    ];
}
