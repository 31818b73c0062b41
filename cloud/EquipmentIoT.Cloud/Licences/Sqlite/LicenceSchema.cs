using System.Text.Json;
using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Licences.Sqlite;

/// <summary>
/// The licence tables in records.db (component "licences"). Enumerations are stored as their camelCase API names,
/// dates as ISO <c>uuuu-MM-dd</c> (they compare as text), instants as the record stores' fixed-width UTC text.
/// </summary>
internal static class LicenceSchema
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "licences";

    // licence_notices' unique key is the idempotency of the daily job: a reminder is "this band (or this red week)
    // of this deadline, for this phone". The deadline is part of it so that a licence whose deadline is moved enters
    // its bands again for the new date.
    public static readonly SqliteMigration[] Migrations =
    [
        new(1, "Configuration licences and their reminders", """
            CREATE TABLE licences (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                number         TEXT NOT NULL UNIQUE,
                category       TEXT NOT NULL CHECK (category IN ('classA', 'classB')),
                equipment_type TEXT NOT NULL,
                holder         TEXT NOT NULL,
                region         TEXT NOT NULL,
                authority      TEXT NOT NULL,
                issue_date     TEXT NOT NULL,
                deadline       TEXT NOT NULL,
                form           TEXT NOT NULL CHECK (form IN ('original', 'copy')),
                device_id      TEXT,
                site_id        TEXT,
                managers       TEXT NOT NULL,
                status         TEXT NOT NULL CHECK (status IN ('active', 'fulfilled', 'revoked')),
                fulfilled_on   TEXT,
                revoked_on     TEXT,
                status_note    TEXT,
                created        TEXT NOT NULL,
                updated        TEXT NOT NULL
            );
            CREATE INDEX licences_deadline ON licences (status, deadline);

            CREATE TABLE licence_notices (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                licence_id     INTEGER NOT NULL REFERENCES licences (id),
                deadline       TEXT    NOT NULL,
                band           TEXT    NOT NULL CHECK (band IN ('blue', 'yellow', 'orange', 'red')),
                kind           TEXT    NOT NULL CHECK (kind IN ('entered', 'escalation')),
                escalation     INTEGER NOT NULL CHECK (escalation >= 0),
                day            TEXT    NOT NULL,
                at             TEXT    NOT NULL,
                recipient      TEXT    NOT NULL,
                recipient_name TEXT,
                text           TEXT    NOT NULL,
                state          TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'unaddressed', 'cancelled')),
                message_id     TEXT,
                sent_at        TEXT,
                error          TEXT,
                UNIQUE (licence_id, deadline, band, escalation, recipient)
            );
            CREATE INDEX licence_notices_pending ON licence_notices (state) WHERE state = 'pending';
            """),
    ];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The camelCase name of an enumeration member, as the API and the tables spell it.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static T Parse<T>(string text)
        where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);
}
