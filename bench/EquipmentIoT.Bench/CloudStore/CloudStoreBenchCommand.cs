using System.Runtime.Versioning;
using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Bench.CloudStore;

/// <summary>
/// <c>eqiot-bench cloud-store</c>: ingest rate and query latency of the cloud's embedded SQLite stores on
/// this machine, with the naive one-row-per-point table measured in the same run for comparison. Targets of
/// the cloud-core issue: ≥ 250,000 points/s stored; a year's query for one metric p95 ≤ 200 ms. A
/// measurement: exits 0 whatever the figures, 1 when a step failed, 2 on a bad command line.
/// </summary>
internal static class CloudStoreBenchCommand
{
    public const double IngestTargetPointsPerSecond = 250_000;
    public static readonly TimeSpan YearQueryTarget = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        CloudStoreBenchOptions options;
        try
        {
            options = CloudStoreBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench cloud-store: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        if (options.ShowHelp)
        {
            Console.WriteLine(CloudStoreBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            // The cloud (and so its stores) is Linux-only.
            await Console.Error.WriteLineAsync("eqiot-bench cloud-store: runs on Linux only").ConfigureAwait(false);
            return 1;
        }

        var root = Path.Combine(options.Directory ?? Path.GetTempPath(), "eqiot-bench-cloud-store-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await RunAllAsync(options, root, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench cloud-store: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or SqliteException or InvalidOperationException || IsBackupRefusal(ex))
        {
            await Console.Error.WriteLineAsync($"eqiot-bench cloud-store: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (!options.Keep) Directory.Delete(root, recursive: true);
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task RunAllAsync(CloudStoreBenchOptions o, string root, CancellationToken cancellationToken)
    {
        Print($"stores in {root}; {Environment.ProcessorCount} cores; SQLite {SqliteVersion()}");
        if (typeof(SqliteSeriesStore).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }])
            Print($"WARNING: eqiot-cloud was built without optimization (a configuration other than Release): the figures are 2-3x too slow; build with -p:Optimize=true");
        var sealing = Stopwatch.StartNew();
        using var fleet = new SealedFleet(o.Agents, o.BatchesPerAgent, o.PointsPerBatch);
        Print($"sealed {fleet.Batches.Count:N0} batches ({fleet.PointCount:N0} points, {fleet.Batches.Average(b => b.Jws.Length):N0} B of JWS each) of {o.Agents} agents in {sealing.Elapsed.TotalSeconds:0.0} s (untimed)");
        Print($"");

        var verify = StoreIngestRun.VerifyAndRead(fleet, 2000);
        // Untimed: the JIT compiles the hot paths to their final tier before anything is measured.
        await StoreIngestRun.RunAsync(Path.Combine(root, "warmup"), fleet.Batches[..Math.Min(fleet.Batches.Count, 4 * o.Group)], o.Group, pipelined: true,
            cancellationToken).ConfigureAwait(false);
        var sequential = await StoreIngestRun.RunAsync(Path.Combine(root, "ingest"), fleet.Batches, o.Group, pipelined: false, cancellationToken).ConfigureAwait(false);
        var pipelined = await StoreIngestRun.RunAsync(Path.Combine(root, "ingest-pipelined"), fleet.Batches, o.Group, pipelined: true, cancellationToken).ConfigureAwait(false);
        Rate? naive = o.NaiveRows > 0
            ? await NaiveTableRun.RunAsync(Path.Combine(root, "naive", "naive.db"), fleet, o.NaiveRows, o.Group * o.PointsPerBatch, cancellationToken).ConfigureAwait(false)
            : null;
        Print($"{"(a/b) ingest",-50} {"batches/s",10} {"points/s",11} {"seconds",8} {"cpu s",7}");
        Row("verify+read, 1 thread (TelemetryEnvelope.Open)", verify, "");
        Row($"stores, {o.Group} batches/transaction, sequential", sequential, Verdict.AtLeast(sequential.PointsPerSecond, IngestTargetPointsPerSecond, "points/s"));
        Print($"{"",-50} ({sequential.Parts})");
        Row($"stores, {o.Group} batches/transaction, pipelined", pipelined, Verdict.AtLeast(pipelined.PointsPerSecond, IngestTargetPointsPerSecond, "points/s"));
        Print($"{"",-50} (ledger of group k+1 beside series of group k; {pipelined.Parts})");
        if (naive is not null) Row("naive table, index (device, metric, ts)", naive, $"({naive.Points:N0} rows)");
        Print($"{"files: records.db, series.db",-50} {Megabytes(Path.Combine(root, "ingest", SqliteDataFiles.Records)),12} {Megabytes(Path.Combine(root, "ingest", SqliteDataFiles.Series)),12}");
        Print($"");

        if (o.YearDays == 0) return;
        var year = Path.Combine(root, "year");
        var fill = await YearQueryRun.FillAsync(year, o.YearDays, cancellationToken).ConfigureAwait(false);
        Print($"(c) {o.YearDays} days of 1 Hz for one metric: {fill.Points:N0} points written through the series store in {fill.Elapsed.TotalSeconds:0.0} s ({fill.PointsPerSecond:N0} points/s, a day per transaction); series.db {Megabytes(SqliteDataFiles.SeriesPath(year))}");
        var latencies = await YearQueryRun.QueryAsync(year, o.YearDays, o.Repeats, cancellationToken).ConfigureAwait(false);
        Print($"{"query",-28} {"points",8} {"p50 ms",9} {"p95 ms",9} {"max ms",9}");
        foreach (var q in latencies)
        {
            var verdict = q.Label.Contains("step 1 day", StringComparison.Ordinal) ? "  " + Verdict.AtMost(q.P95.TotalMilliseconds, YearQueryTarget.TotalMilliseconds, "ms p95") : "";
            Print($"{q.Label,-28} {q.PointsReturned,8:N0} {q.P50.TotalMilliseconds,9:0.0} {q.P95.TotalMilliseconds,9:0.0} {q.Max.TotalMilliseconds,9:0.0}{verdict}");
        }
        Print($"");

        if (!o.Backup) return;
        var zip = Path.Combine(root, "year-backup.zip");
        var backup = Stopwatch.StartNew();
        await SqliteBackup.BackupAsync(year, zip, SystemClock.Instance, cancellationToken).ConfigureAwait(false);
        var backupTime = backup.Elapsed;
        var restore = Stopwatch.StartNew();
        await SqliteBackup.RestoreAsync(zip, Path.Combine(root, "year-restored"), force: false, cancellationToken).ConfigureAwait(false);
        Print($"(d) backup of that series.db: {backupTime.TotalSeconds:0.0} s, {Megabytes(zip)} zip; restore (verify + extract): {restore.Elapsed.TotalSeconds:0.0} s");
    }

    private static bool IsBackupRefusal(Exception ex) => OperatingSystem.IsLinux() && ex is BackupException;

    private static void Row(string label, Rate r, string note) =>
        Print($"{label,-50} {r.BatchesPerSecond,10:N0} {r.PointsPerSecond,11:N0} {r.Elapsed.TotalSeconds,8:0.00} {r.Cpu.TotalSeconds,7:0.0}  {note}");

    /// <summary>The file's size with its write-ahead log (what is not yet checkpointed into it).</summary>
    private static string Megabytes(string path)
    {
        if (!File.Exists(path)) return "-";
        var bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:N1} MB");
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
