using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Cloud.Tests.Registry;
using Npgsql;

namespace EquipmentIoT.Cloud.Tests.Postgres;

/// <summary>The three record stores on a fresh PostgreSQL database of the shared server.</summary>
internal sealed class PostgresRecordStores(PostgresFixture fixture) : IRecordStores
{
    private readonly List<PostgresDatabase> _databases = [];
    private PostgresOptions _options = null!;

    public IRegistryStore Registry { get; private set; } = null!;

    public IAuditLog Audit { get; private set; } = null!;

    public IApiTokenStore Tokens { get; private set; } = null!;

    public string[] AuditLogSource => ["cloud", "EquipmentIoT.Cloud", "Storage", "Postgres", "PostgresAuditLog.cs"];

    public async Task InitializeAsync()
    {
        _options = await fixture.NewDatabaseOptionsAsync();
        var db = Open();
        var registry = new PostgresRegistryStore(db);
        var audit = new PostgresAuditLog(db);
        var tokens = new PostgresApiTokenStore(db);
        await registry.InitializeAsync(CancellationToken.None);
        await audit.InitializeAsync(CancellationToken.None);
        await tokens.InitializeAsync(CancellationToken.None);
        (Registry, Audit, Tokens) = (registry, audit, tokens);
    }

    public IApiTokenStore NewTokenStore() => new PostgresApiTokenStore(Open());

    public Task<long> SchemaVersionAsync(string component) => PostgresMigrator.CurrentVersionAsync(Open(), component, CancellationToken.None);

    public async Task ExecuteRawAsync(string sql)
    {
        await using var c = new NpgsqlConnection(_options.ConnectionString);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string[]>> TokenRowsAsync()
    {
        await using var c = new NpgsqlConnection(_options.ConnectionString);
        await c.OpenAsync();
        await using var dump = new NpgsqlCommand("SELECT name, role, upper(encode(hash, 'hex')), created FROM api_tokens ORDER BY id", c);
        var rows = new List<string[]>();
        await using var r = await dump.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add([r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)]);
        return rows;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases) await database.DisposeAsync();
    }

    private PostgresDatabase Open()
    {
        var database = new PostgresDatabase(_options);
        _databases.Add(database);
        return database;
    }
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresRegistryStoreAgentTests(PostgresFixture fixture) : RegistryStoreAgentContract
{
    internal override IRecordStores NewStores() => new PostgresRecordStores(fixture);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresRegistryStoreDeviceTests(PostgresFixture fixture) : RegistryStoreDeviceContract
{
    internal override IRecordStores NewStores() => new PostgresRecordStores(fixture);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresAuditLogTests(PostgresFixture fixture) : AuditLogContract
{
    internal override IRecordStores NewStores() => new PostgresRecordStores(fixture);
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresApiTokenStoreTests(PostgresFixture fixture) : ApiTokenStoreContract
{
    internal override IRecordStores NewStores() => new PostgresRecordStores(fixture);
}

/// <summary>The alarm store on a fresh PostgreSQL database of the shared server.</summary>
internal sealed class PostgresAlarmStores(PostgresFixture fixture) : EquipmentIoT.Cloud.Tests.Alarms.IAlarmStores
{
    private readonly List<PostgresDatabase> _databases = [];

    public EquipmentIoT.Cloud.Alarms.IAlarmStore Alarms { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var database = new PostgresDatabase(await fixture.NewDatabaseOptionsAsync());
        _databases.Add(database);
        var store = new EquipmentIoT.Cloud.Alarms.PostgresAlarmStore(database);
        await store.InitializeAsync(CancellationToken.None);
        Alarms = store;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases) await database.DisposeAsync();
    }
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresAlarmManagerTests(PostgresFixture fixture) : EquipmentIoT.Cloud.Tests.Alarms.AlarmManagerContract
{
    internal override EquipmentIoT.Cloud.Tests.Alarms.IAlarmStores NewStores() => new PostgresAlarmStores(fixture);
}
