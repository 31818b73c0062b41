using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Bench.CloudStore;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EquipmentIoT.Bench.Records;

/// <summary>
/// <c>eqiot-bench records</c>: the telemetry ledger's <see cref="ITelemetryLedger.IngestAsync"/> rate on SQLite
/// (records.db, synchronous=FULL) and on PostgreSQL (one instance, then several instances on one database, as several
/// cloud processes on a shared subscription), in the same run on the same sealed batches. PostgreSQL is a local
/// server started for the run (fsync on, like SQLite's FULL, unless --no-fsync) or the one --postgres names.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class RecordsBenchCommand
{
    public const string Help = """
          eqiot-bench records [--agents 8] [--batches 250] [--points 50] [--group 50] [--instances 2] [--postgres CONNSTRING] [--no-fsync]
            the ledger's IngestAsync rate (batches/s, points/s) on SQLite and PostgreSQL in the same run: --batches per agent,
            --points per batch, --group batches per call; PostgreSQL with 1 and with --instances ledger instances at once;
            a local PostgreSQL 15 is started unless --postgres gives a server where databases may be created
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        int agents = 8, batches = 250, points = 50, group = 50, instances = 2;
        string? postgres = null;
        var fsync = true;
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--agents": agents = a.Int(1, 10_000); break;
                case "--batches": batches = a.Int(1, 1_000_000); break;
                case "--points": points = a.Int(1, 100_000); break;
                case "--group": group = a.Int(1, 10_000); break;
                case "--instances": instances = a.Int(1, 64); break;
                case "--postgres": postgres = a.Value(); break;
                case "--no-fsync": fsync = false; break;
                case "--help" or "-h":
                    Console.WriteLine(Help);
                    return 0;
                default: throw a.Unknown();
            }
        }

        Console.WriteLine($"sealing {agents} agents × {batches} batches × {points} points …");
        using var fleet = new SealedFleet(agents, batches, points);
        var groups = fleet.Batches.Chunk(group).ToList();
        Console.WriteLine($"{fleet.Batches.Count:N0} batches, {fleet.PointCount:N0} points, {groups.Count:N0} IngestAsync calls of {group}");

        var sqlite = await SqliteRunAsync(groups, cancellationToken).ConfigureAwait(false);
        Print("SQLite (records.db, synchronous=FULL), 1 instance", sqlite, fleet);

        PostgresServer? server = null;
        try
        {
            if (postgres is null)
            {
                server = await PostgresServer.StartAsync(fsync, cancellationToken).ConfigureAwait(false);
                postgres = server.ConnectionString("postgres");
            }
            var label = server is null ? "PostgreSQL (--postgres)" : $"PostgreSQL 15 (local, fsync {(fsync ? "on" : "off")})";
            var one = await PostgresRunAsync(postgres, groups, 1, cancellationToken).ConfigureAwait(false);
            Print($"{label}, 1 instance", one, fleet);
            if (instances > 1)
            {
                var many = await PostgresRunAsync(postgres, groups, instances, cancellationToken).ConfigureAwait(false);
                Print($"{label}, {instances} instances at once", many, fleet);
            }
        }
        finally
        {
            if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
        }
        return 0;
    }

    private sealed record Run(TimeSpan Elapsed, List<TimeSpan> Calls, long Stored);

    private static async Task<Run> SqliteRunAsync(List<IncomingBatch[]> groups, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-bench-records-").FullName;
        try
        {
            await using var ledger = SqliteTelemetryLedger.ForDataDirectory(directory, NullLogger<SqliteTelemetryLedger>.Instance);
            await ledger.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var calls = new List<TimeSpan>(groups.Count);
            var total = Stopwatch.StartNew();
            foreach (var g in groups) calls.Add(await TimeAsync(ledger, g, cancellationToken).ConfigureAwait(false));
            total.Stop();
            return new Run(total.Elapsed, calls, await ledger.CountBatchesAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The groups dealt round-robin to <paramref name="instances"/> ledgers (each its own pool) ingesting at once, on a fresh database.</summary>
    private static async Task<Run> PostgresRunAsync(string server, List<IncomingBatch[]> groups, int instances, CancellationToken cancellationToken)
    {
        var name = "eqiot_bench_" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        await AdminAsync(server, $"CREATE DATABASE {name}", cancellationToken).ConfigureAwait(false);
        var options = new PostgresOptions { ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString };
        var databases = Enumerable.Range(0, instances).Select(_ => new PostgresDatabase(options)).ToList();
        try
        {
            var ledgers = databases.Select(d => new PostgresTelemetryLedger(d)).ToList();
            foreach (var ledger in ledgers) await ledger.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var calls = new List<TimeSpan>[instances];
            var total = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, instances).Select(i => Task.Run(async () =>
            {
                calls[i] = [];
                for (var g = i; g < groups.Count; g += instances) calls[i].Add(await TimeAsync(ledgers[i], groups[g], cancellationToken).ConfigureAwait(false));
            }, cancellationToken))).ConfigureAwait(false);
            total.Stop();
            return new Run(total.Elapsed, [.. calls.SelectMany(c => c)], await ledgers[0].CountBatchesAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            foreach (var d in databases) await d.DisposeAsync().ConfigureAwait(false);
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(server, $"DROP DATABASE IF EXISTS {name}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<TimeSpan> TimeAsync(ITelemetryLedger ledger, IncomingBatch[] group, CancellationToken cancellationToken)
    {
        var call = Stopwatch.StartNew();
        var outcomes = await ledger.IngestAsync(group, cancellationToken).ConfigureAwait(false);
        call.Stop();
        if (outcomes.Any(o => o.Disposition != IngestDisposition.Stored))
            throw new InvalidOperationException("a fresh ledger did not store every batch: " + outcomes.First(o => o.Disposition != IngestDisposition.Stored));
        return call.Elapsed;
    }

    private static async Task AdminAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Print(string label, Run run, SealedFleet fleet)
    {
        var seconds = run.Elapsed.TotalSeconds;
        var sorted = run.Calls.Order().ToList();
        TimeSpan At(double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {run.Stored:N0} stored in {seconds:F2} s = {fleet.Batches.Count / seconds:N0} batches/s, {fleet.PointCount / seconds:N0} points/s; " +
            $"call p50 {At(0.5).TotalMilliseconds:F1} ms, p95 {At(0.95).TotalMilliseconds:F1} ms"));
    }
}
