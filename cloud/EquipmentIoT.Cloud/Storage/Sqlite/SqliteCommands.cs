using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>Small helpers for commands that are prepared once and run many times with new values.</summary>
internal static class SqliteCommands
{
    /// <summary>A command with its parameters declared in the order <see cref="Bind"/> fills them.</summary>
    public static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames) command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        return command;
    }

    /// <summary>Sets every parameter, in declaration order (null becomes SQL NULL), and the transaction.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, SqliteTransaction? transaction, params ReadOnlySpan<object?> values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"the command takes {command.Parameters.Count} values, not {values.Length}", nameof(values));
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    /// <summary>A one-off command with named parameters (null becomes SQL NULL) in <paramref name="transaction"/>.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Runs a one-off command with named parameters and returns its first value.</summary>
    public static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a one-off command with named parameters without results.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Every row of the command's result, through <paramref name="map"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements) without results.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
