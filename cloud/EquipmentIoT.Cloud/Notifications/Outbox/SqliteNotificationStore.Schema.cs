using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Notifications.Outbox;

public sealed partial class SqliteNotificationStore
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "notifications";

    // Instants are the record stores' fixed-width UTC text (SqliteRecordValues), so "next_attempt <= $now" compares as text.
    // next_attempt is the one due time the dispatcher looks at: not_before at first, then the retry time.
    // claimed_by/claimed_at say which dispatcher holds a message in 'sending' since when (the lease).
    // dlr_token: the secret part of an SMS's delivery-report URL; the API never shows it.
    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "Notification outbox, delivery attempts and delivery reports", """
            CREATE TABLE notification_messages (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                channel            TEXT    NOT NULL CHECK (channel IN ('sms', 'email', 'webhook')),
                recipient          TEXT    NOT NULL,
                subject            TEXT    NOT NULL,
                body               TEXT    NOT NULL,
                dedup_key          TEXT    NOT NULL UNIQUE,
                created            TEXT    NOT NULL,
                not_before         TEXT    NOT NULL,
                status             TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed-permanently')),
                attempts           INTEGER NOT NULL DEFAULT 0,
                next_attempt       TEXT    NOT NULL,
                last_error         TEXT,
                gateway_message_id TEXT,
                sent_at            TEXT,
                delivered_at       TEXT,
                failed_at          TEXT,
                claimed_by         TEXT,
                claimed_at         TEXT,
                dlr_token          TEXT
            );
            CREATE INDEX notification_messages_due ON notification_messages (next_attempt) WHERE status = 'pending';
            CREATE INDEX notification_messages_claims ON notification_messages (claimed_at) WHERE claimed_by IS NOT NULL;
            CREATE INDEX notification_messages_recipient ON notification_messages (recipient, id);
            CREATE INDEX notification_messages_status ON notification_messages (status, id);
            CREATE INDEX notification_messages_created ON notification_messages (created);

            CREATE TABLE notification_attempts (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id         INTEGER NOT NULL REFERENCES notification_messages (id) ON DELETE CASCADE,
                number             INTEGER NOT NULL,
                instance           TEXT    NOT NULL,
                started            TEXT    NOT NULL,
                finished           TEXT    NOT NULL,
                outcome            TEXT    NOT NULL CHECK (outcome IN ('sent', 'transient', 'permanent', 'abandoned')),
                detail             TEXT,
                gateway_message_id TEXT
            );
            CREATE INDEX notification_attempts_message ON notification_attempts (message_id, id);

            CREATE TABLE notification_reports (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id INTEGER NOT NULL REFERENCES notification_messages (id) ON DELETE CASCADE,
                code       INTEGER NOT NULL,
                at         TEXT    NOT NULL,
                received   TEXT    NOT NULL,
                detail     TEXT
            );
            CREATE INDEX notification_reports_message ON notification_reports (message_id, id);
            """),
    ];

    private const string Columns = """
        id, channel, recipient, subject, body, dedup_key, created, not_before, status, attempts, next_attempt, last_error,
        gateway_message_id, sent_at, delivered_at, failed_at
        """;
}
