using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// Values of the PostgreSQL record stores (registry, audit, tokens), written exactly as the SQLite ones are:
/// instants as fixed-width UTC text with nine fraction digits in <c>text COLLATE "C"</c> columns, so that they
/// compare as text the same way on both databases, round-trip exactly, and read the same in Grafana
/// (<c>at::timestamptz</c> parses them); dates as ISO <c>uuuu-MM-dd</c>.
/// </summary>
internal static class PostgresRecordValues
{
    public static string InstantText(Instant instant) => Text(instant);

    public static string? InstantText(Instant? instant) => instant is { } i ? Text(i) : null;

    public static string? DateText(LocalDate? date) => date is { } d ? NodaTime.Text.LocalDatePattern.Iso.Format(d) : null;

    public static Instant ReadInstant(NpgsqlDataReader reader, int ordinal) => ParseInstant(reader.GetString(ordinal));

    public static Instant? ReadNullableInstant(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadInstant(reader, ordinal);

    public static LocalDate? ReadNullableDate(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ParseDate(reader.GetString(ordinal));

    /// <summary>True when the exception is a unique-constraint violation (another writer got there first).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
