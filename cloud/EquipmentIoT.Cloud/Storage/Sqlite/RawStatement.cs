using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// A statement prepared straight on the connection's SQLite handle and bound by position (<c>?1</c>, <c>?2</c>,
/// …), for the series writer's hot rows. Through ADO.NET every execution looks each parameter up by name and
/// builds a data reader; here a row is a few binds, a step and a reset (about a microsecond), which is what
/// lets one transaction write thousands of chunk and rollup rows. It runs inside whatever transaction the
/// connection has open. Not thread-safe.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public RawStatement Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, position, value));

    public RawStatement Bind(int position, double value) => Check(raw.sqlite3_bind_double(_statement, position, value));

    public RawStatement Bind(int position, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text(_statement, position, value));

    public RawStatement Bind(int position, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, position, value));

    /// <summary>Runs the statement to its end; returns the number of rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
        return raw.sqlite3_changes(_db);
    }

    public void Dispose() => _statement.Dispose();

    private RawStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }
}
