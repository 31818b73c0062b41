using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// How the record stores (registry, audit, tokens) write values into records.db. Instants are fixed-width
/// UTC text with nine fraction digits, so that they read well in the sqlite3 shell, compare correctly as
/// text (last-seen "only when newer", audit ranges) and round-trip exactly; dates are ISO <c>uuuu-MM-dd</c>.
/// </summary>
internal static class SqliteRecordValues
{
    private static readonly InstantPattern InstantText = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffff'Z'");

    public static string Text(Instant instant) => InstantText.Format(instant);

    public static object Text(Instant? instant) => instant is { } i ? Text(i) : DBNull.Value;

    public static object Text(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : DBNull.Value;

    public static object Nullable(string? text) => text is null ? DBNull.Value : text;

    public static Instant ReadInstant(SqliteDataReader reader, int ordinal) => ParseInstant(reader.GetString(ordinal));

    /// <summary>An instant written by <see cref="Text(Instant)"/> (the PostgreSQL record stores keep the same text).</summary>
    public static Instant ParseInstant(string text) => InstantText.Parse(text).Value;

    /// <summary>A date written by <see cref="Text(LocalDate?)"/>.</summary>
    public static LocalDate ParseDate(string text) => LocalDatePattern.Iso.Parse(text).Value;

    public static Instant? ReadNullableInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadInstant(reader, ordinal);

    public static LocalDate? ReadNullableDate(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : LocalDatePattern.Iso.Parse(reader.GetString(ordinal)).Value;

    /// <summary>Adds a parameter, mapping null to SQL NULL.</summary>
    public static void Add(SqliteCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    /// <summary>True when <paramref name="table"/> has a row with this id (the table name is a constant of the caller, never input).</summary>
    public static async Task<bool> ExistsAsync(SqliteConnection c, SqliteTransaction? tx, string table, object id, CancellationToken cancellationToken)
    {
        await using var query = c.CreateCommand();
        query.Transaction = tx;
        query.CommandText = $"SELECT 1 FROM {table} WHERE id = $id";
        Add(query, "$id", id);
        return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
