using System.Runtime.Versioning;
using System.Diagnostics;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Bench.CloudStore;

/// <summary>
/// (b) The reference the issue names: one row per point in a table indexed on (device, metric, ts), fed the
/// fleet's points in transactions as large as the store's groups, with the stores' connection settings (WAL,
/// synchronous FULL) and a prepared insert.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NaiveTableRun
{
    public static async Task<Rate> RunAsync(string path, SealedFleet fleet, long maxRows, int rowsPerTransaction, CancellationToken cancellationToken)
    {
        await using var connection = await new SqliteDatabase(path).OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE points (device TEXT NOT NULL, metric TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL);
                CREATE INDEX points_device_metric_ts ON points (device, metric, ts);
                """;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO points (device, metric, ts, value) VALUES ($d, $m, $t, $v)";
        var d = insert.Parameters.Add("$d", SqliteType.Text);
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var t = insert.Parameters.Add("$t", SqliteType.Integer);
        var v = insert.Parameters.Add("$v", SqliteType.Real);

        long rows = 0, batches = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        SqliteTransaction? transaction = null;
        try
        {
            foreach (var batch in fleet.Batches)
            {
                if (rows >= maxRows) break;
                batches++;
                foreach (var p in batch.Batch.Metrics)
                {
                    if (rows % rowsPerTransaction == 0)
                    {
                        if (transaction is not null) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        transaction?.Dispose();
                        transaction = connection.BeginTransaction(deferred: false);
                        insert.Transaction = transaction;
                    }
                    d.Value = p.Device;
                    m.Value = p.Name;
                    t.Value = p.Timestamp.ToUnixTimeMilliseconds();
                    v.Value = p.Value;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    rows++;
                }
            }
            if (transaction is not null) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            transaction?.Dispose();
        }
        return new Rate(batches, rows, Stopwatch.GetElapsedTime(start)) { Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu };
    }
}
