using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SqliteMigratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-migrator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly SqliteMigration[] Two =
    [
        new(1, "create t", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)"),
        new(2, "add b", "ALTER TABLE t ADD COLUMN b TEXT"),
    ];

    [Fact]
    public async Task ApplyAsync_TwiceOnOneFile_RunsEachStepOnce()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "x.db"));
        await using var c = await db.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await SqliteMigrator.ApplyAsync(c, "demo", Two[..1], CancellationToken.None));
        Assert.Equal(1, await SqliteMigrator.ApplyAsync(c, "demo", Two, CancellationToken.None));
        Assert.Equal(0, await SqliteMigrator.ApplyAsync(c, "demo", Two, CancellationToken.None));
        Assert.Equal(2, await SqliteMigrator.CurrentVersionAsync(c, null, "demo", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_ComponentsShareAFile_EachKeepsItsOwnVersion()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "x.db"));
        await using var c = await db.OpenAsync(CancellationToken.None);
        await SqliteMigrator.ApplyAsync(c, "one", Two, CancellationToken.None);
        await SqliteMigrator.ApplyAsync(c, "two", [new(1, "create u", "CREATE TABLE u (id INTEGER)")], CancellationToken.None);
        Assert.Equal(2, await SqliteMigrator.CurrentVersionAsync(c, null, "one", CancellationToken.None));
        Assert.Equal(1, await SqliteMigrator.CurrentVersionAsync(c, null, "two", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_DatabaseFromANewerRelease_IsRefused()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "x.db"));
        await using var c = await db.OpenAsync(CancellationToken.None);
        await SqliteMigrator.ApplyAsync(c, "demo", Two, CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteMigrator.ApplyAsync(c, "demo", Two[..1], CancellationToken.None));
        Assert.Contains("newer than this build knows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_FailingStep_LeavesTheSchemaAtThePreviousVersion()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "x.db"));
        await using var c = await db.OpenAsync(CancellationToken.None);
        SqliteMigration[] broken = [Two[0], new(2, "broken", "ALTER TABLE t ADD COLUMN b TEXT; SELECT * FROM no_such_table")];
        await Assert.ThrowsAnyAsync<Exception>(() => SqliteMigrator.ApplyAsync(c, "demo", broken, CancellationToken.None));
        Assert.Equal(1, await SqliteMigrator.CurrentVersionAsync(c, null, "demo", CancellationToken.None));
        Assert.Equal(1, await SqliteMigrator.ApplyAsync(c, "demo", Two, CancellationToken.None));
    }
}
