using Npgsql;
using NpgsqlTypes;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// Small helpers for statements with positional parameters (<c>$1, $2…</c>): null becomes SQL NULL,
/// <see cref="Json"/> marks a value for a json column. Npgsql prepares repeated statements automatically
/// (Max Auto Prepare), so a command per call costs no parse on the server.
/// </summary>
internal static class PostgresCommands
{
    /// <summary>A text value sent as json (a plain string parameter would be text, which a json column refuses).</summary>
    public readonly record struct Json(string Text);

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params ReadOnlySpan<object?> values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                Json json => new NpgsqlParameter { Value = json.Text, NpgsqlDbType = NpgsqlDbType.Json },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row of <paramref name="sql"/>'s result, through <paramref name="map"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await ReadAllAsync(command, map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
