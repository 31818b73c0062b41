using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>
/// One store test's world: a temporary data directory, the SQLite stores opened on it and a signing agent.
/// Disposing closes every store and removes the directory.
/// </summary>
internal sealed class StoreTestContext : ILedgerTestContext
{
    private readonly List<IAsyncDisposable> _opened = [];
    private readonly List<TestAgent> _agents = [];

    public StoreTestContext()
    {
        Path = Directory.CreateTempSubdirectory("eqiot-store-").FullName;
        Agent = NewAgent("agent-01");
    }

    public string Path { get; }

    /// <summary>The default agent, "agent-01".</summary>
    public TestAgent Agent { get; }

    public TestAgent NewAgent(string id)
    {
        var agent = new TestAgent(id);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>A new ledger instance on <paramref name="directory"/>'s records.db (a second call is a second instance on the same file).</summary>
    public SqliteTelemetryLedger Ledger(string? directory = null) =>
        Track(SqliteTelemetryLedger.ForDataDirectory(directory ?? Path, NullLogger<SqliteTelemetryLedger>.Instance));

    ITelemetryLedger ILedgerTestContext.Ledger() => Ledger();

    public async Task<long> LedgerSchemaVersionAsync()
    {
        await using var connection = await new SqliteDatabase(SqliteDataFiles.RecordsPath(Path)).OpenAsync(CancellationToken.None);
        return await SqliteMigrator.CurrentVersionAsync(connection, null, "ledger", CancellationToken.None);
    }

    public SqliteSeriesStore Series(string? directory = null) =>
        Track(SqliteSeriesStore.ForDataDirectory(directory ?? Path, NullLogger<SqliteSeriesStore>.Instance));

    /// <summary>Another directory under this context's, removed with it.</summary>
    public string Subdirectory(string name) => System.IO.Path.Combine(Path, name);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        foreach (var agent in _agents) agent.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }

    private T Track<T>(T store) where T : IAsyncDisposable
    {
        _opened.Add(store);
        return store;
    }
}
