using System.IO.Compression;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Testing;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SqliteBackupTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 12, 1, 8, 0));
    private const int PointsPerBatch = 10;

    [Fact]
    public async Task BackupAsync_WhileIngesting_RestoresEveryBatchStoredBeforeItStarted()
    {
        await using var ctx = new StoreTestContext();
        var ledger = ctx.Ledger();
        var series = ctx.Series();
        // Long enough that ingestion outlasts the backup even on a loaded machine (3,000 did not, once).
        var chain = ctx.Agent.MetricsChain(12_000, PointsPerBatch);
        using var stop = new CancellationTokenSource();
        var stored = 0;
        var ingesting = Task.Run(() => IngestAsync(ledger, series, chain, () => stored, n => Volatile.Write(ref stored, n), stop.Token));
        await Wait.UntilAsync(() => Volatile.Read(ref stored) >= 100 || ingesting.IsCompleted, TimeSpan.FromSeconds(60), "100 batches ingested");

        var before = await ledger.CountBatchesAsync(None);
        var file = Path.Combine(ctx.Path, "backup.zip");
        var manifest = await SqliteBackup.BackupAsync(ctx.Path, file, Clock, None);
        var stillRunning = !ingesting.IsCompleted;
        await stop.CancelAsync();
        await ingesting;

        Assert.True(stillRunning, "ingestion ran during the whole backup");
        var restoredPath = ctx.Subdirectory("restored");
        await SqliteBackup.RestoreAsync(file, restoredPath, force: false, None);
        var restoredLedger = ctx.Ledger(restoredPath);
        var restoredSeries = ctx.Series(restoredPath);
        var count = await restoredLedger.CountBatchesAsync(None);
        Assert.InRange(count, before, chain.Count);
        Assert.Equal(manifest.Batches, count);
        var integrity = Assert.Single(await restoredLedger.IntegrityAsync(ctx.Agent.Id, None));
        Assert.Equal((count, 0L), (integrity.Stored, integrity.MissingBatches));
        Assert.Equal(chain[(int)before - 1].Jws.ToArray(), (await restoredLedger.GetBatchAsync(ctx.Agent.Id, "metrics", before, None))!.Jws);

        // What an instance does at start: write the points of batches still "series pending"; then every point is there once.
        var pending = await restoredLedger.SeriesPendingAsync(10_000, None);
        await restoredSeries.WriteAsync([.. pending.Select(b => new SeriesBatch(b.Id, b.Agent, chain[(int)b.Seq - 1].Batch.Metrics))], None);
        await restoredLedger.MarkSeriesWrittenAsync([.. pending.Select(b => b.Id)], None);
        var info = Assert.Single(await restoredSeries.SeriesAsync(null, None));
        Assert.Equal(count * PointsPerBatch, info.Points);
        var raw = await restoredSeries.QueryAsync(new SeriesQuery("mr-01", "helium_level", TestAgent.T0, TestAgent.T0 + Duration.FromDays(1)), None);
        Assert.Equal(count * PointsPerBatch, raw.Count);
        var hourly = await restoredSeries.QueryAsync(new SeriesQuery("mr-01", "helium_level", TestAgent.T0, TestAgent.T0 + Duration.FromDays(1),
            Duration.FromHours(1), SeriesAggregate.Count), None);
        Assert.Equal(count * PointsPerBatch, hourly.Sum(p => p.Count));
    }

    [Fact]
    public async Task BackupAsync_Stores_WritesAManifestOfFilesHashesSchemasAndBatches()
    {
        await using var ctx = new StoreTestContext();
        await FillAsync(ctx, 5);
        var file = Path.Combine(ctx.Path, "backup.zip");

        var manifest = await SqliteBackup.BackupAsync(ctx.Path, file, Clock, None);

        Assert.Equal((BackupManifest.CurrentFormat, Clock.GetCurrentInstant(), 5L), (manifest.Format, manifest.Created, manifest.Batches));
        Assert.Equal(["series.db", "records.db"], manifest.Files.Select(f => f.Name));
        Assert.Equal(1, manifest.Files[0].Schema["series"]);
        Assert.Equal(1, manifest.Files[1].Schema["ledger"]);
        using var zip = ZipFile.OpenRead(file);
        foreach (var f in manifest.Files)
        {
            await using var stream = zip.GetEntry(f.Name)!.Open();
            Assert.Equal(f.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }
        await using var manifestStream = zip.GetEntry("manifest.json")!.Open();
        using var copy = new MemoryStream();
        await manifestStream.CopyToAsync(copy);
        Assert.Equal(manifest.Files, BackupManifest.Parse(copy.ToArray()).Files, new BackupFileComparer());
    }

    [Fact]
    public async Task RestoreAsync_TamperedDatabase_IsRefusedWithTheReasonAndRestoresNothing()
    {
        await using var ctx = new StoreTestContext();
        await FillAsync(ctx, 5);
        var file = Path.Combine(ctx.Path, "backup.zip");
        await SqliteBackup.BackupAsync(ctx.Path, file, Clock, None);
        using (var zip = ZipFile.Open(file, ZipArchiveMode.Update))
        {
            await using var entry = zip.GetEntry("records.db")!.Open();
            entry.Seek(-100, SeekOrigin.End);
            var b = entry.ReadByte();
            entry.Seek(-1, SeekOrigin.Current);
            entry.WriteByte((byte)(b ^ 0x01));
        }
        var target = ctx.Subdirectory("restored");

        var refused = await Assert.ThrowsAsync<BackupException>(() => SqliteBackup.RestoreAsync(file, target, force: false, None));

        Assert.Equal(BackupRefusal.Tampered, refused.Refusal);
        Assert.Contains("records.db", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target, "*.db*"));
    }

    [Fact]
    public async Task RestoreAsync_DirectoryOfARunningInstance_IsRefused()
    {
        await using var ctx = new StoreTestContext();
        await FillAsync(ctx, 2);
        var file = Path.Combine(ctx.Path, "backup.zip");
        await SqliteBackup.BackupAsync(ctx.Path, file, Clock, None);
        var target = ctx.Subdirectory("running");
        using var instance = DataDirectoryLock.Acquire(target, DataDirectoryLockMode.Shared);

        var refused = await Assert.ThrowsAsync<BackupException>(() => SqliteBackup.RestoreAsync(file, target, force: true, None));

        Assert.Equal(BackupRefusal.Locked, refused.Refusal);
        Assert.Contains("in use", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(target, "*.db*"));
    }

    [Fact]
    public async Task RestoreAsync_NonEmptyDirectory_IsRefusedUnlessForced()
    {
        await using var ctx = new StoreTestContext();
        await FillAsync(ctx, 3);
        var file = Path.Combine(ctx.Path, "backup.zip");
        await SqliteBackup.BackupAsync(ctx.Path, file, Clock, None);
        var target = ctx.Subdirectory("old");
        await FillAsync(ctx, 1, target);

        var refused = await Assert.ThrowsAsync<BackupException>(() => SqliteBackup.RestoreAsync(file, target, force: false, None));
        Assert.Equal(BackupRefusal.NotEmpty, refused.Refusal);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await SqliteBackup.RestoreAsync(file, target, force: true, None);
        Assert.Equal(3, await ctx.Ledger(target).CountBatchesAsync(None));
    }

    [Fact]
    public void DataDirectoryLock_SharedHolders_ExcludeAnExclusiveOneAndTheReverse()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-lock-").FullName;
        try
        {
            using (var first = DataDirectoryLock.Acquire(directory, DataDirectoryLockMode.Shared))
            using (var second = DataDirectoryLock.Acquire(directory, DataDirectoryLockMode.Shared))
            {
                Assert.False(DataDirectoryLock.TryAcquire(directory, DataDirectoryLockMode.Exclusive, out _));
            }
            using (var restore = DataDirectoryLock.Acquire(directory, DataDirectoryLockMode.Exclusive))
            {
                Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(directory, DataDirectoryLockMode.Shared));
            }
            Assert.True(DataDirectoryLock.TryAcquire(directory, DataDirectoryLockMode.Exclusive, out var free));
            free.Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>What ingestion does per group: ledger, then series, then the mark; until the chain ends or <paramref name="stop"/>.</summary>
    private static async Task IngestAsync(SqliteTelemetryLedger ledger, SqliteSeriesStore series, List<IncomingBatch> chain, Func<int> done,
        Action<int> progress, CancellationToken stop)
    {
        for (var i = done(); i < chain.Count && !stop.IsCancellationRequested; i += 5)
        {
            var group = chain.GetRange(i, Math.Min(5, chain.Count - i));
            var outcomes = await ledger.IngestAsync(group, None);
            var ids = outcomes.Select(o => o.BatchId!.Value).ToList();
            await series.WriteAsync([.. group.Select((b, k) => new SeriesBatch(ids[k], b.Batch.Agent, b.Batch.Metrics))], None);
            await ledger.MarkSeriesWrittenAsync(ids, None);
            progress(i + group.Count);
        }
    }

    private static async Task FillAsync(StoreTestContext ctx, int batches, string? directory = null)
    {
        var ledger = ctx.Ledger(directory);
        var series = ctx.Series(directory);
        var chain = ctx.NewAgent("fill-" + Guid.NewGuid().ToString("N")[..6]).MetricsChain(batches, PointsPerBatch);
        await IngestAsync(ledger, series, chain, () => 0, _ => { }, None);
        await ledger.DisposeAsync();
        await series.DisposeAsync();
    }

    private sealed class BackupFileComparer : IEqualityComparer<BackupFile>
    {
        public bool Equals(BackupFile? x, BackupFile? y) =>
            x is not null && y is not null && (x.Name, x.Bytes, x.Sha256) == (y.Name, y.Bytes, y.Sha256) && x.Schema.SequenceEqual(y.Schema);

        public int GetHashCode(BackupFile obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
