using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Cloud.Tests.Storage;

namespace EquipmentIoT.Cloud.Tests.Postgres;

/// <summary>A ledger test's world on PostgreSQL: a fresh database; every <see cref="Ledger"/> call opens its own data source (a separate instance).</summary>
internal sealed class PostgresLedgerTestContext(PostgresOptions options) : ILedgerTestContext
{
    private readonly List<PostgresDatabase> _databases = [];
    private readonly List<TestAgent> _agents = [];

    public TestAgent Agent { get; } = new("agent-01");

    public PostgresOptions Options => options;

    public static async Task<ILedgerTestContext> CreateAsync(PostgresFixture fixture) =>
        new PostgresLedgerTestContext(await fixture.NewDatabaseOptionsAsync());

    public TestAgent NewAgent(string id)
    {
        var agent = new TestAgent(id);
        _agents.Add(agent);
        return agent;
    }

    public ITelemetryLedger Ledger() => new PostgresTelemetryLedger(Database());

    public Task<long> LedgerSchemaVersionAsync() => PostgresMigrator.CurrentVersionAsync(Database(), "ledger", CancellationToken.None);

    public PostgresDatabase Database()
    {
        var database = new PostgresDatabase(options);
        _databases.Add(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases) await database.DisposeAsync();
        foreach (var agent in _agents) agent.Dispose();
        Agent.Dispose();
    }
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresTelemetryLedgerChainTests(PostgresFixture fixture) : TelemetryLedgerChainContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => PostgresLedgerTestContext.CreateAsync(fixture);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresTelemetryLedgerRecordsTests(PostgresFixture fixture) : TelemetryLedgerRecordsContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => PostgresLedgerTestContext.CreateAsync(fixture);
}

/// <summary>Two ledger instances (two data sources, as two cloud processes have) on one PostgreSQL database.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresTelemetryLedgerInstancesTests(PostgresFixture fixture) : TelemetryLedgerInstancesContract
{
    internal override Task<ILedgerTestContext> NewContextAsync() => PostgresLedgerTestContext.CreateAsync(fixture);
}
